// The local APIC timer in one-shot mode as the scheduler's preemption and
// wake-up source (Xen uses the LAPIC timer or TSC deadline the same way). The
// 8259 PICs are masked (the BIOS leaves the PIT's IRQ 0 on vector 8), the
// LAPIC is software-enabled with spurious vector 0xFF, and its count rate is
// measured against the TSC once. Host RFLAGS.IF is 1 only inside the VMRUN
// stub (GIF 0 until the guest runs) and the idle HLT, so the interrupt either
// makes the guest exit (SVM INTR intercept with V_INTR_MASKING) or ends the
// HLT; the handler just sends EOI.
using System.Runtime;
using System.Runtime.CompilerServices;
using XenLite.Boot;

namespace XenLite.Image
{
    public static unsafe class LapicTimer
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "xl_lapic_isr")]
        static extern ulong Isr(int spurious);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "xl_lapic_set_eoi")]
        static extern void SetEoi(ulong eoiRegister);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "xl_wait_for_interrupt")]
        public static extern void WaitForInterrupt();

        const uint MsrApicBase = 0x1B;
        const ulong ApicGlobalEnable = 1UL << 11;
        const int Tpr = 0x80, Eoi = 0xB0, Svr = 0xF0, LvtTimer = 0x320, InitialCount = 0x380, CurrentCount = 0x390, Divide = 0x3E0;
        const uint Masked = 1u << 16;
        public const byte Vector = 0xEF, SpuriousVector = 0xFF;

        static ulong s_base;
        /// <summary>LAPIC counts per millisecond (divide by 1).</summary>
        static ulong s_countsPerMs;
        static uint s_tscKhz;

        public static void Start(uint tscKhz)
        {
            s_tscKhz = tscKhz;
            Cpu.OutB(0x21, 0xFF);   // both 8259s fully masked
            Cpu.OutB(0xA1, 0xFF);
            ulong msr = Cpu.ReadMsr(MsrApicBase) | ApicGlobalEnable;
            Cpu.WriteMsr(MsrApicBase, msr);
            s_base = msr & 0xFFFF_F000;
            SetEoi(s_base + Eoi);
            Gate(Vector, Isr(0));
            Gate(SpuriousVector, Isr(1));
            Write(Tpr, 0);
            Write(Svr, 0x100u | SpuriousVector);
            Write(Divide, 0xB);
            Write(LvtTimer, Masked | Vector);
            Write(InitialCount, uint.MaxValue);
            ulong start = Cpu.ReadTsc();
            while (Cpu.ReadTsc() - start < tscKhz) { }   // 1 ms
            s_countsPerMs = uint.MaxValue - Read(CurrentCount);
            if (s_countsPerMs == 0) s_countsPerMs = 1_000_000;
            Write(InitialCount, 0);
            Write(LvtTimer, Vector);   // one-shot, unmasked
        }

        /// <summary>One-shot at TSC value <paramref name="tscDeadline"/> (0 stops the timer).</summary>
        public static void Arm(ulong tscDeadline)
        {
            if (tscDeadline == 0)
            {
                Write(InitialCount, 0);
                return;
            }
            ulong now = Cpu.ReadTsc();
            ulong ticks = tscDeadline > now ? tscDeadline - now : 1;
            ulong counts = ticks / s_tscKhz * s_countsPerMs + ticks % s_tscKhz * s_countsPerMs / s_tscKhz;
            if (counts == 0) counts = 1;
            if (counts > uint.MaxValue) counts = uint.MaxValue;
            Write(InitialCount, (uint)counts);
        }

        static void Write(int reg, uint value) => *(uint*)(s_base + (ulong)reg) = value;

        static uint Read(int reg) => *(uint*)(s_base + (ulong)reg);

        /// <summary>An interrupt gate (DPL 0, code selector 0x08, no IST) in the IDT boot loaded.</summary>
        static void Gate(byte vector, ulong handler)
        {
            byte* desc = stackalloc byte[10];
            Cpu.StoreIdt(desc);
            byte* g = (byte*)*(ulong*)(desc + 2) + vector * 16;
            *(ushort*)g = (ushort)handler;
            *(ushort*)(g + 2) = 0x08;
            g[4] = 0;
            g[5] = 0x8E;
            *(ushort*)(g + 6) = (ushort)(handler >> 16);
            *(uint*)(g + 8) = (uint)(handler >> 32);
            *(uint*)(g + 12) = 0;
        }
    }
}

// Bindings to the arm64 guest's assembly (calls.S, vectors.S).
using System.Runtime;
using System.Runtime.CompilerServices;

namespace XenLite.Guest
{
    // Filled by vectors.S: the last synchronous exception, and the probe's resume address.
    public struct FaultState
    {
        public ulong Esr, Far, Elr, Count, Recover;
    }

    // Filled by vectors.S: the GIC it acknowledges on (set by the tests) and what it saw.
    public struct IrqState
    {
        public ulong GicVersion, GiccBase, LastIntid, Count, TimerCount;
    }

    public static unsafe class AsmArm
    {
        const MethodImplOptions Extern = MethodImplOptions.InternalCall;

        [MethodImpl(Extern), RuntimeImport("*", "guest_smccc_hvc")] public static extern long SmcccHvc(ulong fid, ulong a1, ulong a2, ulong a3);
        [MethodImpl(Extern), RuntimeImport("*", "guest_smccc_smc")] public static extern long SmcccSmc(ulong fid, ulong a1, ulong a2, ulong a3);
        [MethodImpl(Extern), RuntimeImport("*", "guest_hvc_wrong_immediate")] public static extern ulong HvcWrongImmediate();
        [MethodImpl(Extern), RuntimeImport("*", "guest_probe_read")] public static extern ulong ProbeRead(ulong address);
        [MethodImpl(Extern), RuntimeImport("*", "guest_read_cntvct")] public static extern ulong Cntvct();
        [MethodImpl(Extern), RuntimeImport("*", "guest_read_cntpct")] public static extern ulong Cntpct();
        [MethodImpl(Extern), RuntimeImport("*", "guest_read_cntfrq")] public static extern ulong Cntfrq();
        [MethodImpl(Extern), RuntimeImport("*", "guest_read_mpidr")] public static extern ulong Mpidr();
        [MethodImpl(Extern), RuntimeImport("*", "guest_read_midr")] public static extern ulong Midr();
        [MethodImpl(Extern), RuntimeImport("*", "guest_read_cntv_ctl")] public static extern ulong CntvCtl();
        [MethodImpl(Extern), RuntimeImport("*", "guest_write_cntv_ctl")] public static extern void SetCntvCtl(ulong value);
        [MethodImpl(Extern), RuntimeImport("*", "guest_write_cntv_tval")] public static extern void SetCntvTval(ulong value);
        [MethodImpl(Extern), RuntimeImport("*", "guest_write_icc_pmr")] public static extern void SetIccPmr(ulong value);
        [MethodImpl(Extern), RuntimeImport("*", "guest_write_icc_igrpen1")] public static extern void SetIccIgrpen1(ulong value);
        [MethodImpl(Extern), RuntimeImport("*", "guest_irq_enable")] public static extern void IrqEnable();
        [MethodImpl(Extern), RuntimeImport("*", "guest_irq_disable")] public static extern void IrqDisable();
        [MethodImpl(Extern), RuntimeImport("*", "guest_wfi")] public static extern void Wfi();
        /// <summary>With IRQs masked: wait for an interrupt and take it (see calls.S); test the condition before each call.</summary>
        [MethodImpl(Extern), RuntimeImport("*", "guest_wait_for_irq")] public static extern void WaitForIrq();
        [MethodImpl(Extern), RuntimeImport("*", "guest_mmio_read32")] public static extern uint Read32(ulong address);
        [MethodImpl(Extern), RuntimeImport("*", "guest_mmio_write32")] public static extern void Write32(ulong address, uint value);
        [MethodImpl(Extern), RuntimeImport("*", "guest_mmio_read8")] public static extern byte Read8(ulong address);
        [MethodImpl(Extern), RuntimeImport("*", "guest_mmio_write8")] public static extern void Write8(ulong address, byte value);
        [MethodImpl(Extern), RuntimeImport("*", "guest_fault_state")] public static extern FaultState* Fault();
        [MethodImpl(Extern), RuntimeImport("*", "guest_irq_state")] public static extern IrqState* Irq();
    }
}

// arm64: Xen's arm vcpu_op has no singleshot timer (only register_vcpu_info and
// the runstate area), so the timer a guest relies on is the generic timer: the
// virtual timer set 5 ms ahead must interrupt (PPI 27, through the vGIC) no
// earlier than CNTVCT says it should.
namespace XenLite.Guest
{
    public static unsafe class TimerCheck
    {
        public const string Name = "timer.vtimer_not_early";
        const ulong Gicd = 0x03001000, Gicc = 0x03002000, Gicr0 = 0x03020000;   // arch-arm.h GUEST_GIC*_BASE
        const uint Ppi27 = 1u << 27;

        public static string Run()
        {
            int gic = Dt.FindCompatible(Entry.DeviceTree, "arm,gic-v3"u8, out _, out _) ? 3
                : Dt.FindCompatible(Entry.DeviceTree, "arm,gic-400"u8, out _, out _) || Dt.FindCompatible(Entry.DeviceTree, "arm,cortex-a15-gic"u8, out _, out _) ? 2 : 0;
            if (gic == 0) return "no GIC in the device tree";
            IrqState* irq = AsmArm.Irq();
            irq->GicVersion = (ulong)gic;
            irq->GiccBase = Gicc;
            if (gic == 3)
            {
                AsmArm.Write32(Gicd, 0x12);                    // ARE, EnableGrp1
                AsmArm.Write32(Gicr0 + 0x14, 0);               // GICR_WAKER: awake
                ulong sgi = Gicr0 + 0x10000;
                AsmArm.Write32(sgi + 0x80, AsmArm.Read32(sgi + 0x80) | Ppi27);
                AsmArm.Write32(sgi + 0x100, Ppi27);
                AsmArm.SetIccPmr(0xFF);
                AsmArm.SetIccIgrpen1(1);
            }
            else
            {
                AsmArm.Write32(Gicd, 1);
                AsmArm.Write32(Gicd + 0x100, Ppi27);
                AsmArm.Write32(Gicc + 0x4, 0xFF);
                AsmArm.Write32(Gicc, 1);
            }
            ulong hz = AsmArm.Cntfrq();
            ulong ticks = hz / 200;                            // 5 ms
            ulong before = irq->TimerCount;
            ulong start = AsmArm.Cntvct();
            AsmArm.SetCntvTval(ticks);
            AsmArm.SetCntvCtl(1);
            ulong deadline = start + ticks, giveUp = start + hz;
            // Tested with IRQs masked, so the interrupt cannot slip in between the test and the wait.
            while (irq->TimerCount == before && AsmArm.Cntvct() < giveUp) AsmArm.WaitForIrq();
            ulong fired = AsmArm.Cntvct();
            AsmArm.SetCntvCtl(0);
            if (irq->TimerCount == before) return "no virtual-timer interrupt within 1 s";
            Out.Add("timer: asked for +5 ms, interrupt seen at +");
            Out.AddDec((long)((fired - start) * 1_000_000 / hz));
            Out.Add(" us");
            Out.End();
            return Expect.True(fired >= deadline, "the virtual-timer interrupt came before CNTVCT reached the deadline");
        }
    }
}

// The real Arm64Cpu: EL2 system registers, the world-switch stub and the host
// GIC. It also times the world switch for the in-image counters: the instant
// before each guest entry and right after each exit.
using XenLite.Boot;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;

namespace XenLite.Image
{
    public sealed unsafe class HwArm64Cpu : Arm64Cpu
    {
        readonly HostGic _gic;
        readonly Arm64Counters _counters;
        readonly ulong _frequency, _midr;
        readonly uint _paRange;
        ulong _lastEntry, _lastExit;
        bool _lastWasHvc;

        public HwArm64Cpu(HostGic gic, ulong frequency, Arm64Counters counters)
        {
            _gic = gic;
            _frequency = frequency;
            _counters = counters;
            _midr = Cpu.ReadMidr();
            _paRange = (uint)(Cpu.ReadIdAa64Mmfr0() & 0xF);
            Hw.SetVectors(Hw.VectorsAddress());
        }

        public override int GicVersion => _gic.ListRegisters > 0 ? _gic.Version : 0;
        public override ulong CounterFrequency => _frequency;
        public override ulong Counter() => Hw.Counter();
        public override uint PhysicalAddressRange => _paRange;
        public override ulong Midr => _midr;

        public override void EnableVirtualization(ulong vtcr, ulong cnthctl) => Hw.EnableVirt(vtcr, cnthctl);

        public override void LoadWorld(in Arm64World w) => Hw.LoadWorld(w.Vttbr, w.Hcr, w.Cntvoff, w.Vmpidr, _midr);

        public override void SaveEl1(GuestContext* ctx) => Hw.El1Save(ctx);

        public override void LoadEl1(GuestContext* ctx) => Hw.El1Load(ctx);

        public override ulong ReadEl1(int reg) => Hw.El1Read((ulong)reg);

        public override void WriteEl1(int reg, ulong value) => Hw.El1Write((ulong)reg, value);

        public override void Run(RegisterFile* regs, GuestContext* ctx)
        {
            ulong enter = Hw.Counter();
            if (_lastWasHvc)
            {
                _counters.HvcHandleTicks += enter - _lastExit;
                _counters.HvcRoundTrips++;
                _counters.HvcRoundTripTicks += enter - _lastEntry;
            }
            Hw.GuestRun(regs, ctx);
            _lastExit = Hw.Counter();
            _lastEntry = enter;
            _lastWasHvc = ctx->ExitKind == GuestContext.ExitSync && Esr.Class(ctx->Esr) == Ec.Hvc64;
            if (_lastWasHvc) _counters.HvcExits++;
        }

        public override void FlushGuestTlb(ulong vttbr) => Hw.FlushGuestTlb(vttbr);

        public override int ListRegisters => _gic.ListRegisters;
        public override ulong ReadLr(int index) => _gic.ReadLr(index);
        public override void WriteLr(int index, ulong value) => _gic.WriteLr(index, value);
        public override void SaveVirtualInterface(out ulong vmcr, out ulong apr) => _gic.Save(out vmcr, out apr);
        public override void LoadVirtualInterface(ulong vmcr, ulong apr) => _gic.Load(vmcr, apr);
        public override void EnablePpi(uint intid) => _gic.EnablePpi(intid);
        public override uint AcknowledgeInterrupt() => _gic.Acknowledge();
        public override void EndInterrupt(uint intid) => _gic.End(intid);
        public override void SetHypervisorTimer(ulong count) => Hw.SetHypTimer(count);
        public override void WaitForInterrupt() => Cpu.WaitForInterrupt();
    }
}

// The real X86Cpu: boot's Cpu helpers for CPUID/MSR/TSC, the VMRUN stub
// (vmrun.S) and, in HostCpuVmx.cs, the VMX instructions (vmx.S). It also times
// the world switch for the in-image counters: the instant before each VMRUN
// (VM entry) and right after each #VMEXIT (VM exit).
using System.Runtime;
using System.Runtime.CompilerServices;
using XenLite.Boot;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Image
{
    public sealed unsafe partial class HostCpu : X86Cpu
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "xl_svm_vmrun")]
        static extern void SvmVmRun(ulong vmcbMaddr, RegisterFile* regs, ulong hostSaveMaddr, byte* guestFpu);

        const uint ExitVmmcall = 0x81;

        readonly uint _tscKhz;
        readonly SvmCounters _counters;
        // VMSAVE area for the host's hidden state (one page, identity mapped).
        readonly ulong _hostSave;
        readonly GuestFpu _fpu = new GuestFpu();
        ulong _lastVmrun, _lastExit;
        bool _lastWasVmmcall;

        public HostCpu(uint tscKhz, SvmCounters counters)
        {
            _tscKhz = tscKhz;
            _counters = counters;
            _hostSave = (ulong)XenLite.Runtime.Allocator.AllocPages(1);
        }

        public override byte InB(ushort port) => Cpu.InB(port);

        public override void OutB(ushort port, byte value) => Cpu.OutB(port, value);

        public override void Cpuid(uint leaf, uint subleaf, out uint a, out uint b, out uint c, out uint d)
        {
            uint* r = stackalloc uint[4];
            Cpu.CpuId(leaf, subleaf, r);
            a = r[0]; b = r[1]; c = r[2]; d = r[3];
        }

        public override ulong ReadMsr(uint msr) => Cpu.ReadMsr(msr);

        public override void WriteMsr(uint msr, ulong value) => Cpu.WriteMsr(msr, value);

        public override void WriteEfer(ulong value) => Cpu.WriteMsr(SvmHost.MsrEfer, value);

        public override ulong Rdtsc() => Cpu.ReadTsc();

        public override uint TscKhz => _tscKhz;

        public override void ArmTimer(ulong tscDeadline) => LapicTimer.Arm(tscDeadline);

        public override void WaitForInterrupt() => LapicTimer.WaitForInterrupt();

        public override void VmRun(ulong vmcbMaddr, RegisterFile* gprs)
        {
            byte* fpu = _fpu.For(vmcbMaddr, gprs);
            ulong enter = Cpu.ReadTsc();
            if (_lastWasVmmcall)
            {
                _counters.VmmcallHandleCycles += enter - _lastExit;
                _counters.VmmcallRoundTrips++;
                _counters.VmmcallRoundTripCycles += enter - _lastVmrun;
            }
            SvmVmRun(vmcbMaddr, gprs, _hostSave, fpu);
            ulong exit = Cpu.ReadTsc();
            _lastVmrun = enter;
            _lastExit = exit;
            _lastWasVmmcall = ((Vmcb*)vmcbMaddr)->ExitCode == ExitVmmcall;
            if (_lastWasVmmcall) _counters.VmmcallExits++;
        }
    }
}

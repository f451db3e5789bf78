// The VMX half of the real X86Cpu: thin bindings to vmx.S, and the VM entry
// timed like VMRUN (a VMCALL exit counts as a hypercall round trip).
using System.Runtime;
using System.Runtime.CompilerServices;
using XenLite.Boot;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Image
{
    public sealed unsafe partial class HostCpu
    {
        const MethodImplOptions Asm = MethodImplOptions.InternalCall;

        [MethodImpl(Asm), RuntimeImport("*", "xl_vmxon")] static extern int VmxOnAsm(ulong region, ulong cr0Fixed0, ulong cr4Fixed0);
        [MethodImpl(Asm), RuntimeImport("*", "xl_vmclear")] static extern int VmClearAsm(ulong vmcs);
        [MethodImpl(Asm), RuntimeImport("*", "xl_vmptrld")] static extern int VmPtrLoadAsm(ulong vmcs);
        [MethodImpl(Asm), RuntimeImport("*", "xl_vmread")] static extern ulong VmReadAsm(ulong field);
        [MethodImpl(Asm), RuntimeImport("*", "xl_vmwrite")] static extern void VmWriteAsm(ulong field, ulong value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_invept")] static extern void InvEptAsm(ulong type, ulong eptp);
        [MethodImpl(Asm), RuntimeImport("*", "xl_vmx_host_state")] static extern void HostStateAsm();
        [MethodImpl(Asm), RuntimeImport("*", "xl_vmx_enter")] static extern int VmEnterAsm(int launched, RegisterFile* regs, byte* guestFpu);

        public override bool VmxOn(ulong regionMaddr, ulong cr0Fixed0, ulong cr4Fixed0) => VmxOnAsm(regionMaddr, cr0Fixed0, cr4Fixed0) == 0;

        public override bool VmClear(ulong vmcsMaddr) => VmClearAsm(vmcsMaddr) == 0;

        public override bool VmPtrLoad(ulong vmcsMaddr) => VmPtrLoadAsm(vmcsMaddr) == 0;

        public override ulong VmRead(uint field) => VmReadAsm(field);

        public override void VmWrite(uint field, ulong value) => VmWriteAsm(field, value);

        public override void InvEpt(int type, ulong eptp) => InvEptAsm((ulong)type, eptp);

        public override void VmxHostState() => HostStateAsm();

        public override int VmEnter(bool launched, RegisterFile* gprs)
        {
            byte* fpu = _fpu.For((ulong)gprs, gprs);
            ulong enter = Cpu.ReadTsc();
            if (_lastWasVmmcall)
            {
                _counters.VmmcallHandleCycles += enter - _lastExit;
                _counters.VmmcallRoundTrips++;
                _counters.VmmcallRoundTripCycles += enter - _lastVmrun;
            }
            int r = VmEnterAsm(launched ? 1 : 0, gprs, fpu);
            ulong exit = Cpu.ReadTsc();
            _lastVmrun = enter;
            _lastExit = exit;
            _lastWasVmmcall = r == 0 && (VmReadAsm(VmcsField.ExitReason) & 0xFFFF) == VmxExit.Vmcall;
            if (_lastWasVmmcall) _counters.VmmcallExits++;
            return r;
        }
    }
}

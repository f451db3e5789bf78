using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// One trip into a VMX guest and back: the vCPU's VMCS made current, EPT flushed when the p2m
/// lost a translation, a due upcall queued, the guest-state record copied in, VMLAUNCH or
/// VMRESUME, the record copied back and the exit handed to <see cref="VmxExits"/>. A refused
/// entry (VMfailValid/VMfailInvalid) crashes the domain with the VM-instruction error.
/// </summary>
public static unsafe class VmxRun
{
    public static SvmExitResult RunOnce(SvmHost host, Vcpu v)
    {
        Domain d = v.Domain;
        if (d.X86 == null || d.State != DomainState.Running) return SvmExitResult.DomainGone;
        if (!v.IsUp || v.Blocked) return SvmExitResult.Blocked;

        VmxHost vmx = host.Vmx;
        X86VcpuState s = v.X86;
        Vmcb* g = s.Vmcb;
        if (!vmx.MakeCurrent(s.VmcsFrame.ToMaddr().Value)) return DomainCrash.Crash(host, v, g, "VMPTRLD refused the vCPU's VMCS");
        if (s.FlushTlb) vmx.FlushEpt(d.X86.Eptp);
        s.FlushTlb = false;
        UpcallInjection.Prepare(v, g);
        VmxState.ToVmcs(vmx, v, g);

        int failed;
        fixed (RegisterFile* regs = &v.Regs) failed = host.Cpu.VmEnter(s.Launched, regs);
        if (failed != 0) return EntryFailed(host, v, g, failed);
        s.Launched = true;

        VmxState.FromVmcs(vmx, v, g);
        SvmExitResult r = VmxExits.Handle(host, v, g);
        s.ExitLength = 0;
        return r;
    }

    static SvmExitResult EntryFailed(SvmHost host, Vcpu v, Vmcb* g, int failed)
    {
        HvConsole c = host.Hv.Console;
        c.Write(v.X86.Launched ? "(XEN) VMX: VMRESUME failed" : "(XEN) VMX: VMLAUNCH failed");
        if (failed == 2)
        {
            c.Write(", VM-instruction error ");
            c.WriteDec(host.Cpu.VmRead(VmcsField.InstructionError));
        }
        else c.Write(" (VMfailInvalid: no current VMCS)");
        c.Put((byte)'\n');
        return DomainCrash.Crash(host, v, g, "VM entry refused");
    }
}

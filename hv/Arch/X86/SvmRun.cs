using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// One trip into the guest and back. Between exits the register file is the truth for rax,
/// rsp, rip and rflags (the dispatcher and handlers use it); the VMCB holds everything else.
/// </summary>
public static unsafe class SvmRun
{
    const byte TlbFlushAll = 1;

    public static SvmExitResult RunOnce(SvmHost host, Vcpu v)
    {
        if (host.Vmx != null) return VmxRun.RunOnce(host, v);
        Domain d = v.Domain;
        if (d.X86 == null || d.State != DomainState.Running) return SvmExitResult.DomainGone;
        if (!v.IsUp || v.Blocked) return SvmExitResult.Blocked;

        X86VcpuState s = v.X86;
        Vmcb* vmcb = s.Vmcb;
        vmcb->Rax = v.Regs[X86Reg.Rax];
        vmcb->Rsp = v.Regs[X86Reg.Rsp];
        vmcb->Rip = v.Regs.Ip;
        vmcb->Rflags = v.Regs.Flags;
        vmcb->TlbControl = s.FlushTlb ? TlbFlushAll : (byte)0;
        vmcb->CleanBits = 0; // we edit the VMCB freely: the CPU reloads all of it
        s.FlushTlb = false;
        UpcallInjection.Prepare(v, vmcb);

        fixed (RegisterFile* regs = &v.Regs) host.Cpu.VmRun(s.VmcbFrame.ToMaddr().Value, regs);

        vmcb->TlbControl = 0;
        v.Regs[X86Reg.Rax] = vmcb->Rax;
        v.Regs[X86Reg.Rsp] = vmcb->Rsp;
        v.Regs.Ip = vmcb->Rip;
        v.Regs.Flags = vmcb->Rflags;
        // A PV guest's addresses are virtual: GuestMemory walks the tables its CR3 names now.
        if (GuestModes.IsPv(d.Mode)) v.Regs.PageTableBase = vmcb->Cr3;
        // An event cut short by the exit (say, a fault while delivering an interrupt) is delivered again.
        vmcb->EventInj = (vmcb->ExitIntInfo & SvmEvent.Valid) != 0 ? vmcb->ExitIntInfo : 0;

        return SvmExits.Handle(host, v, vmcb);
    }
}

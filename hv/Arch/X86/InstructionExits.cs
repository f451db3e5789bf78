using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>CPUID, RDMSR/WRMSR, HLT and VMMCALL exits. Lengths are fixed: cpuid 0f a2, rdmsr/wrmsr 0f 32/30, hlt f4, vmmcall 0f 01 d9.</summary>
public static unsafe class InstructionExits
{
    public static SvmExitResult Cpuid(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        XenCpuid.Query(host, v, (uint)v.Regs[X86Reg.Rax], (uint)v.Regs[X86Reg.Rcx], out uint a, out uint b, out uint c, out uint d);
        v.Regs[X86Reg.Rax] = a;
        v.Regs[X86Reg.Rbx] = b;
        v.Regs[X86Reg.Rcx] = c;
        v.Regs[X86Reg.Rdx] = d;
        GuestState.Advance(v, vmcb, 2);
        return SvmExitResult.Resume;
    }

    public static SvmExitResult Msr(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        uint msr = (uint)v.Regs[X86Reg.Rcx];
        bool write = (vmcb->ExitInfo1 & 1) != 0;
        if (write)
        {
            ulong value = (v.Regs[X86Reg.Rdx] << 32) | (uint)v.Regs[X86Reg.Rax];
            if (!SvmMsrs.Write(host, v, vmcb, msr, value)) return GuestState.InjectGp(vmcb);
        }
        else
        {
            if (!SvmMsrs.Read(host, vmcb, msr, out ulong value)) return GuestState.InjectGp(vmcb);
            v.Regs[X86Reg.Rax] = (uint)value;
            v.Regs[X86Reg.Rdx] = value >> 32;
        }
        GuestState.Advance(v, vmcb, 2);
        return SvmExitResult.Resume;
    }

    /// <summary>
    /// Xen's hvm_hlt: halting with interrupts enabled blocks until an event; halting with them
    /// disabled takes the vCPU down, and when the last one goes the domain powers off.
    /// </summary>
    public static SvmExitResult Hlt(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        GuestState.Advance(v, vmcb, 1);
        if ((v.Regs.Flags & X86Bits.RflagsIf) != 0)
        {
            // An upcall raised before the HLT is delivered at the next VMRUN instead of blocking.
            if (v.Events != null && v.Events.UpcallWanted && UpcallInjection.Vector(v) != 0) return SvmExitResult.Resume;
            v.Blocked = true;
            return SvmExitResult.Blocked;
        }
        v.IsUp = false;
        Domain d = v.Domain;
        for (int i = 0; i < d.Vcpus.Length; i++)
            if (d.Vcpus[i].IsUp) return SvmExitResult.Blocked;
        return DomainCrash.End(host, d, ShutdownReason.Poweroff);
    }

    /// <summary>
    /// A hypercall: the dispatcher reads and writes the register file directly. Only ring 0 may
    /// call (else -EPERM, as Xen); RIP moves past vmmcall unless the call must be re-executed.
    /// </summary>
    public static SvmExitResult Vmmcall(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        // A PV guest calls through syscall; vmmcall is an invalid opcode for it, and it has no trap table.
        if (GuestModes.IsPv(v.Domain.Mode))
            return DomainCrash.Crash(host, v, vmcb, "vmmcall from a PV guest (PV hypercalls use the hypercall page's syscall)");
        if (vmcb->Cpl != 0)
        {
            v.Regs[X86Reg.Rax] = unchecked((ulong)(long)-Errno.EPERM);
        }
        else
        {
            v.Mode = GuestState.Is64Bit(vmcb) ? GuestMode.Hvm64 : GuestMode.Hvm32;
            if (!host.Hv.Dispatcher.Enter(v)) return SvmExitResult.Resume;
        }
        GuestState.Advance(v, vmcb, 3);
        // The call may have shut the domain down (SCHEDOP_shutdown): it must not run again.
        return v.Domain.State == DomainState.Running ? SvmExitResult.Resume : SvmExitResult.DomainGone;
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Domctl;

/// <summary>
/// set/getvcpucontext for x86 HVM vCPUs, through the x86_64 vcpu_guest_context (HVM domains
/// always use the native layout): flags, general registers, CR0/CR3/CR4. The values are the
/// register file and the vCPU's start state (what VCPUOP_initialise or this domctl loaded).
/// arm contexts go to <see cref="VcpuContextArm"/>; PV contexts are not modelled: -EOPNOTSUPP.
/// </summary>
public static unsafe class VcpuContext
{
    /// <summary>Xen: not the caller's own domain, an existing vCPU (-EINVAL); a null handle resets the vCPU.</summary>
    public static long Set(Vcpu caller, Domain d, ref DomctlVcpuContext c)
    {
        if (d == caller.Domain || c.Vcpu >= (uint)d.Vcpus.Length) return -Errno.EINVAL;
        Vcpu v = d.Vcpus[c.Vcpu];
        if (c.Ctxt == 0)
        {
            v.IsUp = false;
            if (v.VcpuOp != null) v.VcpuOp.Initialised = false;
            return 0;
        }
        if (d.Mode == GuestMode.Arm) return VcpuContextArm.Set(caller, v, c.Ctxt);
        if (!GuestModes.IsHvm(d.Mode)) return -Errno.EOPNOTSUPP;
        VcpuGuestContextX86_64 ctx;
        if (GuestMemory.CopyFrom(caller, c.Ctxt, &ctx, (ulong)sizeof(VcpuGuestContextX86_64)) != 0) return -Errno.EFAULT;
        if (!Canonical(ctx.UserRegs.Rip)) return -Errno.EINVAL;
        ref RegisterFile r = ref v.Regs;
        CpuUserRegsX86_64 u = ctx.UserRegs;
        r[X86Reg.Rax] = u.Rax; r[X86Reg.Rcx] = u.Rcx; r[X86Reg.Rdx] = u.Rdx; r[X86Reg.Rbx] = u.Rbx;
        r[X86Reg.Rsp] = u.Rsp; r[X86Reg.Rbp] = u.Rbp; r[X86Reg.Rsi] = u.Rsi; r[X86Reg.Rdi] = u.Rdi;
        r[X86Reg.R8] = u.R8; r[X86Reg.R9] = u.R9; r[X86Reg.R10] = u.R10; r[X86Reg.R11] = u.R11;
        r[X86Reg.R12] = u.R12; r[X86Reg.R13] = u.R13; r[X86Reg.R14] = u.R14; r[X86Reg.R15] = u.R15;
        r.Ip = u.Rip;
        r.Flags = u.Rflags | 2;
        if (v.VcpuOp != null)
        {
            v.VcpuOp.Hvm.Cr0 = ctx.CtrlReg[0];
            v.VcpuOp.Hvm.Cr3 = ctx.CtrlReg[3];
            v.VcpuOp.Hvm.Cr4 = ctx.CtrlReg[4];
            v.VcpuOp.Initialised = true;
        }
        v.IsUp = (ctx.Flags & VcpuGuestContextX86_64.FlagOnline) != 0;
        return 0;
    }

    /// <summary>Xen: an existing vCPU other than the caller (-EINVAL) that has been initialised (-ENODATA).</summary>
    public static long Get(Vcpu caller, Domain d, ref DomctlVcpuContext c)
    {
        if (c.Vcpu >= (uint)d.Vcpus.Length) return -Errno.EINVAL;
        Vcpu v = d.Vcpus[c.Vcpu];
        if (v == caller) return -Errno.EINVAL;
        if (v.VcpuOp == null || !v.VcpuOp.Initialised) return -Errno.ENODATA;
        if (!GuestModes.IsHvm(d.Mode)) return -Errno.EOPNOTSUPP;
        VcpuGuestContextX86_64 ctx = default;
        ref RegisterFile r = ref v.Regs;
        ctx.Flags = v.IsUp ? VcpuGuestContextX86_64.FlagOnline : 0;
        ctx.UserRegs.Rax = r[X86Reg.Rax]; ctx.UserRegs.Rcx = r[X86Reg.Rcx]; ctx.UserRegs.Rdx = r[X86Reg.Rdx]; ctx.UserRegs.Rbx = r[X86Reg.Rbx];
        ctx.UserRegs.Rsp = r[X86Reg.Rsp]; ctx.UserRegs.Rbp = r[X86Reg.Rbp]; ctx.UserRegs.Rsi = r[X86Reg.Rsi]; ctx.UserRegs.Rdi = r[X86Reg.Rdi];
        ctx.UserRegs.R8 = r[X86Reg.R8]; ctx.UserRegs.R9 = r[X86Reg.R9]; ctx.UserRegs.R10 = r[X86Reg.R10]; ctx.UserRegs.R11 = r[X86Reg.R11];
        ctx.UserRegs.R12 = r[X86Reg.R12]; ctx.UserRegs.R13 = r[X86Reg.R13]; ctx.UserRegs.R14 = r[X86Reg.R14]; ctx.UserRegs.R15 = r[X86Reg.R15];
        ctx.UserRegs.Rip = r.Ip;
        ctx.UserRegs.Rflags = r.Flags;
        ctx.CtrlReg[0] = v.VcpuOp.Hvm.Cr0;
        ctx.CtrlReg[3] = v.VcpuOp.Hvm.Cr3;
        ctx.CtrlReg[4] = v.VcpuOp.Hvm.Cr4;
        if (GuestMemory.CopyTo(caller, c.Ctxt, &ctx, (ulong)sizeof(VcpuGuestContextX86_64)) != 0) return -Errno.EFAULT;
        return 0;
    }

    static bool Canonical(ulong a) => (a >> 47) == 0 || (a >> 47) == 0x1FFFF;
}

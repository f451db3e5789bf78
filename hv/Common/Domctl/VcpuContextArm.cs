using System.Runtime.InteropServices;
using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Domctl;

/// <summary>Xen's arm vcpu_guest_context (arch-arm.h): flags, vcpu_guest_core_regs, sctlr, ttbcr, ttbr0, ttbr1; 352 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 352)]
public unsafe struct VcpuGuestContextArm
{
    public const uint FlagOnline = 1;
    [FieldOffset(0)] public uint Flags;
    [FieldOffset(8)] public fixed ulong X[31];
    [FieldOffset(256)] public ulong Pc;
    [FieldOffset(264)] public ulong Cpsr;
    [FieldOffset(320)] public ulong Sctlr;
}

/// <summary>
/// setvcpucontext for arm vCPUs (Xen's arch_set_info_guest, AArch64 only): x0–x30, pc and cpsr
/// go to the register file; the vCPU starts there when the toolstack unpauses the domain. The
/// cpsr must be an AArch64 EL0t/EL1t/EL1h state (-EINVAL otherwise, as Xen's is_guest_pv64_psr).
/// sctlr and the translation registers are not taken: the vCPU starts with Xen's SCTLR_GUEST_INIT
/// (MMU off), which is what toolstacks pass.
/// </summary>
public static unsafe class VcpuContextArm
{
    public static long Set(Vcpu caller, Vcpu v, ulong ctxt)
    {
        VcpuGuestContextArm ctx;
        if (GuestMemory.CopyFrom(caller, ctxt, &ctx, (ulong)sizeof(VcpuGuestContextArm)) != 0) return -Errno.EFAULT;
        if (!Aarch64Psr(ctx.Cpsr)) return -Errno.EINVAL;
        for (int i = 0; i < 31; i++) v.Regs[i] = ctx.X[i];
        v.Regs.Ip = ctx.Pc;
        v.Regs.Flags = ctx.Cpsr;
        if (v.VcpuOp != null) v.VcpuOp.Initialised = true;
        v.IsUp = (ctx.Flags & VcpuGuestContextArm.FlagOnline) != 0;
        return 0;
    }

    /// <summary>nRW clear (AArch64), mode EL0t (0), EL1t (4) or EL1h (5), no bits above the flags.</summary>
    static bool Aarch64Psr(ulong psr)
    {
        if ((psr >> 32) != 0 || (psr & 0x10) != 0) return false;
        ulong mode = psr & 0xF;
        return mode == 0 || mode == 4 || mode == 5;
    }
}

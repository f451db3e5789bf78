using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The PV64 hypercall gate inside the SVM container. A PV guest's hypercall page calls with
/// `syscall`; its EFER.SCE is clear, so that raises #UD, which SVM intercepts (only for PV
/// domains). The two bytes at RIP are read through the guest's own page tables (GuestMemory's
/// PV walk over CR3): `0f 05` is a hypercall, dispatched in pv64 mode (number rax; arguments
/// rdi, rsi, rdx, r10, r8; result rax) and RIP steps past it, unless the call must be
/// re-executed (continuation). Anything else is a real #UD, and a PV guest has no trap table
/// here (set_trap_table is not implemented), so, as Xen does for an exception with no guest
/// handler, the domain is crashed.
/// </summary>
public static unsafe class PvSyscallGate
{
    const ushort Syscall = 0x050F; // 0f 05, little-endian

    public static SvmExitResult InvalidOpcode(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        if (!GuestModes.IsPv(v.Domain.Mode)) return GuestState.InjectUd(vmcb);
        if (!GuestState.Is64Bit(vmcb)) return DomainCrash.Crash(host, v, vmcb, "PV guest left 64-bit mode (pv32 is not supported)");
        v.Mode = GuestMode.Pv64;
        v.Regs.PageTableBase = vmcb->Cr3;
        ushort op = 0;
        if (GuestMemory.CopyFrom(v, v.Regs.Ip, &op, 2) != 0)
            return DomainCrash.Crash(host, v, vmcb, "#UD at an address its page tables do not map");
        if (op != Syscall)
            return DomainCrash.Crash(host, v, vmcb, "unhandled #UD (no trap table: set_trap_table is not implemented)");
        if (!host.Hv.Dispatcher.Enter(v)) return SvmExitResult.Resume;
        GuestState.Advance(v, vmcb, 2);
        return v.Domain.State == DomainState.Running ? SvmExitResult.Resume : SvmExitResult.DomainGone;
    }
}

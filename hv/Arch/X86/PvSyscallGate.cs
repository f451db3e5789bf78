using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The PV64 hypercall gate inside the SVM container. A PV guest's hypercall page calls with
/// `syscall`; its EFER.SCE is clear, so that raises #UD, which SVM intercepts (only for PV
/// domains). `0f 05` at RIP from a 64-bit PV guest is a hypercall, dispatched in pv64 mode
/// (number rax; arguments rdi, rsi, rdx, r10, r8; result rax) by <see cref="PvGate"/>. Anything
/// else is a real #UD, and a PV guest has no trap table here (set_trap_table is not
/// implemented), so, as Xen does for an exception with no guest handler, the domain is crashed.
/// A 32-bit PV guest calls through `int $0x82` (<see cref="PvInt82Gate"/>): any #UD crashes it.
/// </summary>
public static unsafe class PvSyscallGate
{
    const ushort Syscall = 0x050F; // 0f 05, little-endian

    public static SvmExitResult InvalidOpcode(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        if (!GuestModes.IsPv(v.Domain.Mode)) return GuestState.InjectUd(vmcb);
        bool pv64 = v.Domain.Mode == GuestMode.Pv64;
        if (pv64 && !GuestState.Is64Bit(vmcb)) return DomainCrash.Crash(host, v, vmcb, "64-bit PV guest left 64-bit mode");
        if (!PvGate.Fetch(v, vmcb, out ushort op))
            return DomainCrash.Crash(host, v, vmcb, "#UD at an address its page tables do not map");
        if (op != Syscall || !pv64)
            return DomainCrash.Crash(host, v, vmcb, "unhandled #UD (no trap table: set_trap_table is not implemented)");
        return PvGate.Dispatch(host, v, vmcb);
    }
}

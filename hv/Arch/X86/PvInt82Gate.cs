using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The PV32 hypercall gate inside the SVM container: software interrupts of PV domains are
/// intercepted (SVM INTn, exit 0x75) before the guest's IDT is consulted (it has none). SVM
/// names no vector without decode assists (QEMU's TCG gives none), so the instruction at RIP is
/// read through the guest's page tables: `cd 82` from a 32-bit PV guest is a hypercall,
/// dispatched in pv32 mode (number eax; arguments ebx, ecx, edx, esi, edi; result eax) by
/// <see cref="PvGate"/>, which steps over it. Any other software interrupt (another vector,
/// `int $0x82` from a 64-bit guest, and int3/into/icebp where the CPU reports those as INTn)
/// would go to the guest's trap table, which it cannot have here (set_trap_table is not
/// implemented), so the domain is crashed, naming the vector.
/// </summary>
public static unsafe class PvInt82Gate
{
    /// <summary>Xen's HYPERCALL_VECTOR for 32-bit PV guests.</summary>
    public const byte Vector = 0x82;
    const byte IntN = 0xCD, Int3 = 0xCC, Into = 0xCE, Icebp = 0xF1;
    const string NoTrapTable = " (no trap table: set_trap_table is not implemented)";

    public static SvmExitResult SoftwareInterrupt(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        if (!GuestModes.IsPv(v.Domain.Mode)) return DomainCrash.Crash(host, v, vmcb, "unexpected vmexit");
        if (!PvGate.Fetch(v, vmcb, out ushort op))
            return DomainCrash.Crash(host, v, vmcb, "software interrupt at an address its page tables do not map");
        byte first = (byte)op;
        int vector = first switch
        {
            IntN => op >> 8,
            Int3 => 3,
            Into => 4,
            Icebp => 1,
            _ => -1,
        };
        if (vector < 0) return DomainCrash.Crash(host, v, vmcb, "software-interrupt exit at an instruction that is none");
        if (vector == Vector && first == IntN)
        {
            if (v.Domain.Mode == GuestMode.Pv32) return PvGate.Dispatch(host, v, vmcb);
            return DomainCrash.Crash(host, v, vmcb, "int $0x82 from a 64-bit PV guest (it calls through syscall; no trap table)");
        }
        return DomainCrash.Crash(host, v, vmcb, "unhandled software interrupt, vector", (ulong)vector, NoTrapTable);
    }
}

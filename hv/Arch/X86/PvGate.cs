using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// What both PV hypercall gates (<see cref="PvSyscallGate"/>, <see cref="PvInt82Gate"/>) share:
/// the instruction bytes at RIP, read through the guest's own page tables (GuestMemory's PV walk
/// over CR3: 4 levels for pv64, PAE for pv32), and the dispatch in the domain's mode, stepping
/// over the 2-byte instruction unless the call is to be re-executed (continuation).
/// </summary>
public static unsafe class PvGate
{
    /// <summary>False when the guest's page tables do not map RIP (the caller crashes the domain).</summary>
    public static bool Fetch(Vcpu v, Vmcb* vmcb, out ushort op)
    {
        v.Mode = v.Domain.Mode;
        v.Regs.PageTableBase = vmcb->Cr3;
        ushort bytes = 0;
        bool mapped = GuestMemory.CopyFrom(v, v.Regs.Ip, &bytes, 2) == 0;
        op = bytes;
        return mapped;
    }

    /// <summary>The hypercall in the vCPU's registers (its mode's convention), then RIP past the 2-byte gate instruction.</summary>
    public static SvmExitResult Dispatch(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        if (!host.Hv.Dispatcher.Enter(v)) return SvmExitResult.Resume;
        GuestState.Advance(v, vmcb, 2);
        return v.Domain.State == DomainState.Running ? SvmExitResult.Resume : SvmExitResult.DomainGone;
    }
}

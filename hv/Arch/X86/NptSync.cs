using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Keeps a domain's nested page tables (EPT under VMX) in step with its p2m after SVM set-up: grant maps
/// (read-only grants map read-only), foreign maps, shared_info and grant frames the guest
/// places, populate/decrease_reservation. A replaced or removed translation flushes the
/// domain's TLB before any of its vCPUs runs again. For a PV domain's container the nested
/// tables are keyed by machine frame (guest-physical = machine, because PV page tables hold
/// machine frames): a frame entering the p2m is mapped at its own number, one leaving it unmapped.
/// </summary>
public sealed class NptSync : P2mObserver
{
    readonly SvmHost _host;
    readonly Domain _d;
    readonly bool _identity;

    public NptSync(SvmHost host, Domain d)
    {
        _host = host;
        _d = d;
        _identity = GuestModes.IsPv(d.Mode);
    }

    public override void Changed(Gfn gfn, Mfn mfn, P2mType type)
    {
        X86DomainState s = _d.X86;
        if (s == null || !s.NptRoot.IsValid) return;
        MachineMemory mem = _host.Hv.Memory;
        if (_identity)
        {
            if (mfn.IsValid) Npt.Map(mem, s.NptRoot, new Gfn(mfn.Value), mfn, type == P2mType.GrantMapRo);
            return;
        }
        bool replaced = Npt.IsMapped(mem, s.NptRoot, gfn);
        if (mfn.IsValid) Npt.Map(mem, s.NptRoot, gfn, mfn, type == P2mType.GrantMapRo, s.Ept);
        else Npt.Unmap(mem, s.NptRoot, gfn);
        if (replaced) FlushAll();
    }

    public override void Leaving(Gfn gfn, Mfn old)
    {
        X86DomainState s = _d.X86;
        if (!_identity || s == null || !s.NptRoot.IsValid) return;
        // The shared_info frame stays reachable wherever the p2m says it is (it is never in a PV p2m).
        if (_d.SharedInfo != null && old.Value == _d.SharedInfo.Frame.Value) return;
        Npt.Unmap(_host.Hv.Memory, s.NptRoot, new Gfn(old.Value));
        FlushAll();
    }

    void FlushAll()
    {
        for (int i = 0; i < _d.Vcpus.Length; i++)
            if (_d.Vcpus[i].X86 != null) _d.Vcpus[i].X86.FlushTlb = true;
    }
}

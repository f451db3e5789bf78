using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Keeps a domain's nested page tables in step with its p2m after SVM set-up: grant maps
/// (read-only grants map read-only), foreign maps, shared_info and grant frames the guest
/// places, populate/decrease_reservation. A replaced or removed translation flushes the
/// domain's TLB before any of its vCPUs runs again.
/// </summary>
public sealed class NptSync : P2mObserver
{
    readonly SvmHost _host;
    readonly Domain _d;

    public NptSync(SvmHost host, Domain d)
    {
        _host = host;
        _d = d;
    }

    public override void Changed(Gfn gfn, Mfn mfn, P2mType type)
    {
        X86DomainState s = _d.X86;
        if (s == null || !s.NptRoot.IsValid) return;
        MachineMemory mem = _host.Hv.Memory;
        bool replaced = Npt.IsMapped(mem, s.NptRoot, gfn);
        if (mfn.IsValid) Npt.Map(mem, s.NptRoot, gfn, mfn, type == P2mType.GrantMapRo);
        else Npt.Unmap(mem, s.NptRoot, gfn);
        if (!replaced) return;
        for (int i = 0; i < _d.Vcpus.Length; i++)
            if (_d.Vcpus[i].X86 != null) _d.Vcpus[i].X86.FlushTlb = true;
    }
}

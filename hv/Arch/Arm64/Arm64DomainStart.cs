using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// arm64 state for a domain a toolstack built (createdomain, populate_physmap, setvcpucontext):
/// made when it first runs after the unpause with vCPU 0 online, so stage 2 starts from the p2m
/// as the toolstack left it. The vCPUs keep the registers setvcpucontext gave (pc, x0, cpsr).
/// It gets a vpl011, as a domU configured with vuart="sbsa_uart" does in Xen.
/// </summary>
public static class Arm64DomainStart
{
    public static void StartIfReady(Arm64Host host, Domain d)
    {
        if (d.Arm64 != null || d.Mode != Abi.GuestMode.Arm || d.State != DomainState.Running || d.IsPausedByController || !d.Vcpus[0].IsUp) return;
        ulong[] psr = new ulong[d.Vcpus.Length];
        for (int i = 0; i < psr.Length; i++) psr[i] = d.Vcpus[i].Regs.Flags;
        if (!Arm64Domain.Create(host, d, true))
        {
            host.Hv.Console.WriteLine("(XEN) out of VMIDs or memory for a new domain's stage-2 tables: destroying it");
            host.Hv.DestroyDomain(d);
            return;
        }
        for (int i = 0; i < psr.Length; i++)
            if (d.Vcpus[i].IsUp) d.Vcpus[i].Regs.Flags = psr[i];
    }
}

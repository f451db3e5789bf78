using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>A domain's SVM life: ASID, nested tables and one VMCB per vCPU; and their release. Under VMX, <see cref="VmxDomain"/>.</summary>
public static unsafe class SvmDomain
{
    /// <summary>
    /// Sets up SVM for a domain whose P2m is populated; false (nothing kept) when out of ASIDs or
    /// memory. An HVM/PVH domain's nested tables translate its p2m; a PV domain runs in the same
    /// kind of container, its nested tables mapping every frame it owns (its p2m's frames and its
    /// shared_info) at guest-physical = machine frame, so its own page tables, which hold machine
    /// frames, work unchanged, and no other frame is reachable.
    /// </summary>
    public static bool Create(SvmHost host, Domain d)
    {
        if (host.Vmx != null) return VmxDomain.Create(host, d);
        MachineMemory mem = host.Hv.Memory;
        d.X86 = new X86DomainState { Asid = host.AllocateAsid() };
        if (d.X86.Asid == 0) return Fail(host, d);
        d.X86.NptRoot = Npt.NewRoot(mem);
        if (!d.X86.NptRoot.IsValid) return Fail(host, d);
        bool built = GuestModes.IsPv(d.Mode) ? Npt.BuildIdentity(mem, d.X86.NptRoot, d) : Npt.Build(mem, d.X86.NptRoot, d.P2m);
        if (!built) return Fail(host, d);
        d.P2m.Observer = new NptSync(host, d);
        host.Track(d);

        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            var s = new X86VcpuState { VmcbFrame = mem.Allocate(SvmHost.FrameOwner) };
            d.Vcpus[i].X86 = s;
            if (!s.VmcbFrame.IsValid) return Fail(host, d);
            s.Vmcb = (Vmcb*)mem.Map(s.VmcbFrame);
            SvmSetup.Control(host, d, s.Vmcb);
        }
        return true;
    }

    /// <summary>Guest frame now backed by a machine frame (populate, grant map…).</summary>
    public static bool MapGfn(SvmHost host, Domain d, Gfn gfn, Mfn mfn) => Npt.Map(host.Hv.Memory, d.X86.NptRoot, gfn, mfn);

    /// <summary>Guest frame gone: no vCPU may keep a stale translation.</summary>
    public static void UnmapGfn(SvmHost host, Domain d, Gfn gfn)
    {
        Npt.Unmap(host.Hv.Memory, d.X86.NptRoot, gfn);
        for (int i = 0; i < d.Vcpus.Length; i++)
            if (d.Vcpus[i].X86 != null) d.Vcpus[i].X86.FlushTlb = true;
    }

    /// <summary>Gives back the VMCBs (and VMCSs), nested tables and ASID. Safe on a partly created domain.</summary>
    public static void Destroy(SvmHost host, Domain d)
    {
        MachineMemory mem = host.Hv.Memory;
        if (host.Vmx != null) VmxDomain.ReleaseVmcs(host, d);
        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            X86VcpuState s = d.Vcpus[i].X86;
            if (s == null) continue;
            if (s.VmcbFrame.IsValid) mem.Free(s.VmcbFrame);
            d.Vcpus[i].X86 = null;
        }
        if (d.X86 == null) return;
        d.P2m.Observer = null;
        host.Untrack(d);
        if (d.X86.NptRoot.IsValid) Npt.Free(mem, d.X86.NptRoot);
        host.FreeAsid(d.X86.Asid);
        d.X86 = null;
    }

    static bool Fail(SvmHost host, Domain d)
    {
        Destroy(host, d);
        return false;
    }
}

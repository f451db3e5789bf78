using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Domctl;

/// <summary>Xen's getdomaininfo: one xen_domctl_getdomaininfo record (x86 or arm sized) for a domain.</summary>
public static unsafe class DomainInfo
{
    /// <summary>Guest-physical address bits: what a p2m can map (P2m.MaxGfns frames).</summary>
    public const byte GpaddrBits = 32;
    const ulong InvalidGfn = ulong.MaxValue;

    /// <summary>The record's size for domains of this hypervisor (arch_config differs).</summary>
    public static int SizeFor(Domain d) => d.Mode == GuestMode.Arm ? DomctlGetDomainInfo.SizeArm : DomctlGetDomainInfo.SizeX86;

    /// <summary>Writes the record at <paramref name="info"/> (which must hold <see cref="SizeFor"/> bytes).</summary>
    public static void Fill(Domain d, byte* info)
    {
        int size = SizeFor(d);
        for (int i = 0; i < size; i++) info[i] = 0;
        var r = (DomctlGetDomainInfo*)info;
        ulong now = d.Hv.Platform.NowNs();

        r->Domain = d.Id;
        r->MaxVcpuId = DomInf.InvalidMaxVcpuId;
        uint flags = DomInf.Blocked;
        ulong cpuTime = 0;
        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            Vcpu v = d.Vcpus[i];
            cpuTime += VcpuControl.RunningTime(v, now);
            r->MaxVcpuId = (uint)v.Id;
            if (!v.IsUp) continue;
            if (!v.Blocked) flags &= ~DomInf.Blocked;
            if (VcpuControl.IsRunning(v)) flags |= DomInf.Running;
            r->NrOnlineVcpus++;
        }
        r->CpuTime = cpuTime;
        if (r->NrOnlineVcpus == 0) flags = 0;
        if (d.State == DomainState.Dying) flags |= DomInf.Dying;
        if (d.State == DomainState.Shutdown) flags |= DomInf.Shutdown;
        if (d.Control.Paused) flags |= DomInf.Paused;
        if (d.Control.DebuggerAttached) flags |= DomInf.Debugged;
        if (d.IsXenstore) flags |= DomInf.XsDomain;
        bool hvm = GuestModes.IsHvm(d.Mode) || d.Mode == GuestMode.Arm;
        if (hvm) flags |= DomInf.HvmGuest | DomInf.Hap;   // HVM here always runs on nested/stage-2 paging
        flags |= (uint)(byte)d.ShutdownCode << DomInf.ShutdownShift;
        r->Flags = flags;

        uint ssidref = d.Control.Ssidref;
        d.Hv.Xsm.SecurityDomaininfo(d, ref ssidref);
        r->Ssidref = ssidref;
        r->TotPages = d.TotPages;
        r->MaxPages = d.MaxPages;
        r->OutstandingPages = d.OutstandingPages;
        r->SharedInfoFrame = SharedInfoFrame(d);
        r->Cpupool = Sysctl.HostTopology.PoolId;
        r->GpaddrBits = GpaddrBits;
        for (int i = 0; i < 16; i++) r->Handle[i] = d.Handle[i];
        int archSize = size - DomctlGetDomainInfo.ArchOffset;
        for (int i = 0; i < archSize; i++) info[DomctlGetDomainInfo.ArchOffset + i] = d.Control.ArchConfig[i];
    }

    /// <summary>PV guests see machine frames; translated guests the gfn they mapped shared_info at, else INVALID_GFN.</summary>
    static ulong SharedInfoFrame(Domain d)
    {
        Events.SharedInfoPage s = d.SharedInfo;
        if (s == null) return InvalidGfn;
        if (GuestModes.IsPv(d.Mode)) return s.Frame.Value;
        return s.Mapped ? s.MappedAt.Value : InvalidGfn;
    }
}

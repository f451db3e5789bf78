using XenLite.Hv.Abi;
using XenLite.Hv.Common.Domctl;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Sysctl;

/// <summary>The informational sysctls: getdomaininfolist, getcpuinfo, physinfo, cputopoinfo, numainfo, get_cpu_featureset.</summary>
public static unsafe class SysctlInfo
{
    /// <summary>Records for domains from first_domain on, at most max_domains, skipping those XSM hides.</summary>
    public static long DomainInfoList(Vcpu caller, ref SysctlGetDomainInfoList op)
    {
        Hypervisor hv = caller.Hv;
        uint n = 0;
        byte* rec = stackalloc byte[DomctlGetDomainInfo.SizeArm];
        for (uint id = op.FirstDomain; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d == null) continue;
            if (n == op.MaxDomains) break;
            if (hv.Xsm.Getdomaininfo(caller.Domain, d) != 0) continue;
            DomainInfo.Fill(d, rec);
            int size = DomainInfo.SizeFor(d);
            if (GuestMemory.CopyTo(caller, op.Buffer + n * (ulong)size, rec, (ulong)size) != 0) return -Errno.EFAULT;
            n++;
        }
        op.NumDomains = n;
        return 0;
    }

    /// <summary>Idle time of each CPU, up to max_cpus entries; nr_cpus says how many.</summary>
    public static long CpuInfo(Vcpu caller, ref SysctlGetCpuInfo op)
    {
        uint n = op.MaxCpus < HostTopology.NrCpus ? op.MaxCpus : HostTopology.NrCpus;
        for (uint i = 0; i < n; i++)
        {
            ulong idle = HostTopology.IdleTime(caller.Hv);
            if (GuestMemory.CopyTo(caller, op.Info + i * 8, &idle, 8) != 0) return -Errno.EFAULT;
        }
        op.NrCpus = n;
        return 0;
    }

    public static void PhysInfo(Vcpu caller, SysctlPhysInfo* pi)
    {
        Hypervisor hv = caller.Hv;
        *pi = default;
        pi->ThreadsPerCore = 1;
        pi->CoresPerSocket = 1;
        pi->NrCpus = HostTopology.NrCpus;
        pi->NrNodes = HostTopology.NrNodes;
        pi->MaxNodeId = HostTopology.MaxNumNodes - 1;
        pi->MaxCpuId = HostTopology.NrCpus - 1;
        pi->TotalPages = hv.Memory.FrameCount;
        pi->FreePages = hv.Memory.FreeFrames;
        pi->OutstandingPages = hv.Memory.OutstandingClaims;
        pi->CpuKhz = (uint)(hv.Clock.TscHz / 1000);
        pi->MaxMfn = hv.Memory.MaxPage - 1;
        // HVM with hardware paging on both arches; x86 also builds PV guests. Grant tables v1 and v2.
        uint caps = SysctlConst.PhysCapHvm | SysctlConst.PhysCapHap | SysctlConst.PhysCapGnttabV1 | SysctlConst.PhysCapGnttabV2;
        if (caller.Mode != GuestMode.Arm) caps |= SysctlConst.PhysCapPv;
        pi->Capabilities = caps;
    }

    /// <summary>Core/socket/node of each CPU, up to num_cpus entries; a null handle asks for the count.</summary>
    public static long CpuTopo(Vcpu caller, ref SysctlCpuTopoInfo op)
    {
        uint n = HostTopology.NrCpus;
        if (op.CpuTopo != 0)
        {
            if (n > op.NumCpus) n = op.NumCpus;
            for (uint i = 0; i < n; i++)
            {
                var t = new SysctlCpuTopo { Core = 0, Socket = 0, Node = 0 };
                if (GuestMemory.CopyTo(caller, op.CpuTopo + i * (ulong)sizeof(SysctlCpuTopo), &t, (ulong)sizeof(SysctlCpuTopo)) != 0)
                    return -Errno.EFAULT;
            }
        }
        op.NumCpus = n;
        return 0;
    }

    /// <summary>Memory and distances of each node, up to num_nodes; null handles ask for the count.</summary>
    public static long Numa(Vcpu caller, ref SysctlNumaInfo op)
    {
        uint n = HostTopology.NrNodes;
        if (op.MemInfo != 0 || op.Distance != 0)
        {
            if (n > op.NumNodes) n = op.NumNodes;
            for (uint i = 0; i < n; i++)
            {
                if (op.MemInfo != 0)
                {
                    var m = new SysctlMemInfo
                    {
                        MemSize = caller.Hv.Memory.FrameCount << Page.Shift,
                        MemFree = caller.Hv.Memory.FreeFrames << Page.Shift,
                    };
                    if (GuestMemory.CopyTo(caller, op.MemInfo + i * 16, &m, 16) != 0) return -Errno.EFAULT;
                }
                if (op.Distance != 0)
                {
                    for (uint j = 0; j < n; j++)
                    {
                        uint dist = i == j ? SysctlConst.LocalDistance : SysctlConst.InvalidNodeDist;
                        if (GuestMemory.CopyTo(caller, op.Distance + (i * n + j) * 4, &dist, 4) != 0) return -Errno.EFAULT;
                    }
                }
            }
        }
        op.NumNodes = n;
        return 0;
    }

    /// <summary>
    /// x86 featuresets: a null handle asks for the word count; index beyond the table is -EINVAL;
    /// fewer words than there are is -ENOBUFS after writing them. XenLite does not read the host's
    /// CPUID here, so every featureset is empty (all words zero).
    /// </summary>
    public static long Featureset(Vcpu caller, ref SysctlCpuFeatureset op)
    {
        if (op.Features == 0)
        {
            op.NrFeatures = HostTopology.FeaturesetWords;
            return 0;
        }
        uint nr = op.NrFeatures < HostTopology.FeaturesetWords ? op.NrFeatures : HostTopology.FeaturesetWords;
        long rc = op.Index > SysctlConst.FeaturesetHvmMax ? -Errno.EINVAL : 0;
        if (rc == 0 && GuestMemory.Clear(caller, op.Features, nr * 4UL) != 0) rc = -Errno.EFAULT;
        op.NrFeatures = nr;
        if (rc == 0 && nr < HostTopology.FeaturesetWords) rc = -Errno.ENOBUFS;
        return rc;
    }
}

using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Domctl;

/// <summary>
/// XEN_DOMCTL_createdomain: Xen's domid_alloc, sanitise_domain_config, grant_table_init and
/// domain_create checks, then a domain with no memory (the toolstack populates it), paused once
/// by the controller. x86 creates HVM (XEN_DOMCTL_CDF_hvm) or 64-bit PV domains; arm only HVM+HAP.
/// </summary>
public static unsafe class CreateDomain
{
    /// <summary>The most vCPUs a domain may have (Xen's HVM_MAX_VCPUS on x86).</summary>
    public const uint MaxVcpus = 128;
    /// <summary>Grant table versions this build offers (Xen's gnttab_max_version default).</summary>
    public const uint MaxGrantVersion = 2;

    const uint CommonFlags = DomctlCdf.Hvm | DomctlCdf.Hap | DomctlCdf.S3Integrity | DomctlCdf.OosOff |
        DomctlCdf.XsDomain | DomctlCdf.Iommu | DomctlCdf.NestedVirt | DomctlCdf.Vpmu | DomctlCdf.TrapUnmappedAccesses;

    /// <returns>The new domain's id, or a negative errno.</returns>
    public static long Run(Vcpu caller, uint requestedId, byte* u)
    {
        Hypervisor hv = caller.Hv;
        DomctlCreateDomain* c = (DomctlCreateDomain*)u;
        bool arm = caller.Mode == GuestMode.Arm;

        uint id = hv.DomIds.Allocate(hv, requestedId);
        if (id == DomainIds.Invalid) return -Errno.EEXIST;

        int rc = Sanitise(c, arm);
        if (rc != 0) return rc;
        uint grantVersion = c->GrantOpts & DomctlCdf.GrantVersionMask;
        if (grantVersion == 0 || grantVersion > MaxGrantVersion) return -Errno.EINVAL;
        uint grantFrames = c->MaxGrantFrames < 0 ? Grants.GrantTable.DefaultMaxFrames : (uint)c->MaxGrantFrames;
        uint maptrackFrames = c->MaxMaptrackFrames < 0 ? Grants.GrantTable.DefaultMaxMaptrackFrames : (uint)c->MaxMaptrackFrames;
        if (grantFrames < Grants.GrantTable.InitialFrames || grantFrames > Grants.GrantTable.DefaultMaxFrames) return -Errno.EINVAL;
        if (c->CpupoolId != Sysctl.HostTopology.PoolId) return -Errno.ENOENT;

        bool hvm = (c->Flags & DomctlCdf.Hvm) != 0;
        var config = new DomainConfig
        {
            Id = id,
            Mode = arm ? GuestMode.Arm : hvm ? GuestMode.Hvm64 : GuestMode.Pv64,
            Vcpus = (int)c->MaxVcpus,
            Xenstore = (c->Flags & DomctlCdf.XsDomain) != 0,
            // Xen's port limit is taken as given; 0 would mean "default" to our event setup, so keep port 0 usable only.
            MaxEvtchnPort = c->MaxEvtchnPort == 0 ? 1 : c->MaxEvtchnPort,
            Ssidref = c->Ssidref,
            Creator = caller.Domain,
        };
        // Hypervisor.CreateDomain runs xsm_alloc_security_domain and xsm_domain_create for us.
        Domain d = hv.CreateDomain(config);
        if (d == null) return hv.LastCreateRefusal != 0 ? hv.LastCreateRefusal : -Errno.ENOMEM;

        d.Grants.MaxFrames = grantFrames;
        d.Grants.MaxMaptrackFrames = maptrackFrames;
        d.MaxPages = 0;
        for (int i = 0; i < 16; i++) d.Handle[i] = c->Handle[i];
        DomainControl ctl = d.Control;
        ctl.Ssidref = c->Ssidref;
        ctl.CreateFlags = c->Flags;
        ctl.PauseCount = 1;
        ctl.CreationFinished = false;
        int archSize = arm ? sizeof(ArchDomainConfigArm) : sizeof(ArchDomainConfigX86);
        for (int i = 0; i < archSize; i++) ctl.ArchConfig[i] = u[DomctlCreateDomain.ArchOffset + i];
        return id;
    }

    /// <summary>sanitise_domain_config plus the arch checks; features we do not have (IOMMU, vmtrace, vPMU) are refused as Xen refuses them when absent.</summary>
    static int Sanitise(DomctlCreateDomain* c, bool arm)
    {
        uint f = c->Flags;
        if ((f & ~CommonFlags) != 0) return -Errno.EINVAL;
        if ((c->GrantOpts & ~DomctlCdf.GrantVersionMask) != 0) return -Errno.EINVAL;
        if (c->MaxVcpus < 1) return -Errno.EINVAL;
        bool hvm = (f & DomctlCdf.Hvm) != 0;
        if ((f & DomctlCdf.Hap) != 0 && !hvm) return -Errno.EINVAL;
        if ((f & DomctlCdf.Iommu) != 0) return -Errno.EINVAL;   // no IOMMU
        if (c->IommuOpts != 0) return -Errno.EINVAL;
        if (c->VmtraceSize != 0) return -Errno.EINVAL;          // no vmtrace
        if ((f & DomctlCdf.Vpmu) != 0) return -Errno.EINVAL;    // no vPMU
        if (arm)
        {
            // Every arm domain is HVM with HAP; only IOMMU, vPMU, xenstore and trap-unmapped may be added.
            const uint optional = DomctlCdf.Iommu | DomctlCdf.Vpmu | DomctlCdf.XsDomain | DomctlCdf.TrapUnmappedAccesses;
            if ((f & ~optional) != (DomctlCdf.Hvm | DomctlCdf.Hap)) return -Errno.EINVAL;
        }
        else if ((f & DomctlCdf.NestedVirt) != 0) return -Errno.EINVAL;  // no nested SVM
        if (c->MaxVcpus > MaxVcpus) return -Errno.EINVAL;
        return 0;
    }
}

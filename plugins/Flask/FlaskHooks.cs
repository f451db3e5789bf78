using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Flask;

// The 87 hooks in XsmModule order, each mapped to FLASK classes and permissions as Xen's
// xsm/flask/hooks.c maps them. "caller" is Xen's current->domain.
public sealed partial class FlaskXsm
{
    public override int XenVersion(Domain d, uint op)
    {
        uint perm;
        switch (op)
        {
            case 0: case 5: case 6: return 0; // version, platform_parameters, get_features: unchecked.
            case 1: case 11: perm = Perm.Version.XenExtraversion; break;
            case 2: perm = Perm.Version.XenCompileInfo; break;
            case 3: case 12: perm = Perm.Version.XenCapabilities; break;
            case 4: case 13: perm = Perm.Version.XenChangeset; break;
            case 7: perm = Perm.Version.XenPagesize; break;
            case 8: perm = Perm.Version.XenGuestHandle; break;
            case 9: case 14: perm = Perm.Version.XenCommandline; break;
            case 10: perm = Perm.Version.XenBuildId; break;
            default: return -Errno.EPERM;
        }
        return DomainHasXen(d, FlaskSchema.ClassVersion, perm);
    }

    public override int ConsoleIo(Domain d, int cmd) => cmd switch
    {
        ConsoleIoCmd.Read => DomainHasXen(d, FlaskSchema.ClassXen, Perm.Xen.Readconsole),
        ConsoleIoCmd.Write => DomainHasXen(d, FlaskSchema.ClassXen, Perm.Xen.Writeconsole),
        _ => Unknown(),
    };

    public override int SchedopShutdown(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassDomain, Perm.Domain.Shutdown);

    /// <summary>At the end of boot the idle domain drops privilege and becomes xen_t.</summary>
    public override int SetSystemActive(Domain caller)
    {
        if (caller.Id != DomainIds.Idle) return -Errno.EPERM;
        caller.IsPrivileged = false;
        _sid[SlotIdle] = _selfSid[SlotIdle] = Initial(PolicyFormat.SidXen);
        return 0;
    }

    public override void SecurityDomaininfo(Domain d, ref uint ssidref) => ssidref = DomainSid(d);

    /// <summary>flask_domain_create. A null caller is the hypervisor building a domain at boot
    /// (Xen's idle domain, xenboot_t): there an unprivileged domain given no label becomes the
    /// domU initial SID, where Xen would leave it unlabeled (it does so only for the PV shim),
    /// so boot-built guests run under the policy's domU type.</summary>
    public override int DomainCreate(Domain caller, Domain d, uint ssidref)
    {
        int slot = Slot(d.Id);
        if (slot < 0) return -Errno.EINVAL;
        if (ssidref == 0) ssidref = DomainSid(d);
        if (caller == null && ssidref == Unlabeled && !d.IsPrivileged) ssidref = Initial(PolicyFormat.SidDomU);
        uint csid = caller != null ? DomainSid(caller) : Initial(PolicyFormat.SidXenboot);
        int rc = HasPerm(caller ?? d, csid, ssidref, FlaskSchema.ClassDomain, Perm.Domain.Create);
        if (rc != 0) return rc;
        // dom0_t is a singleton: the policy cannot say so, the hook enforces it.
        if (ssidref == Initial(PolicyFormat.SidDom0))
        {
            if (_dom0Created) return -Errno.EINVAL;
            _dom0Created = true;
        }
        _sid[slot] = ssidref;
        _selfSid[slot] = _policy != null ? _policy.Transition(ssidref, ssidref, FlaskSchema.ClassDomain) : ssidref;
        return 0;
    }

    public override int BootLabel(System.ReadOnlySpan<byte> label, out uint ssidref)
    {
        ssidref = 0;
        if (label.Length == 0 || _policy == null) return 0;
        ssidref = _policy.LabelSid(label);
        return ssidref != 0 ? 0 : -Errno.ENOENT;
    }

    public override int Getdomaininfo(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Getdomaininfo);

    public override int GetDomainState(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.GetDomainState);

    public override int Sysctl(Domain caller, uint cmd, uint subop)
    {
        switch (cmd)
        {
            case 1: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Readconsole | (subop != 0 ? Perm.Xen.Clearconsole : 0));
            case 2: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Tbufcontrol);
            case 4: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Getscheduler);
            case 5: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Perfcontrol);
            case 7: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Debug);
            case 8: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Getcpuinfo);
            case 9: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Heap);
            case 10: case 12: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.PmOp);
            case 14: // page_offline_op: offline, online, query
                return subop switch
                {
                    1 => OnInitial(caller, PolicyFormat.SidDomxen, FlaskSchema.ClassResource, Perm.Resource.Unplug),
                    2 => OnInitial(caller, PolicyFormat.SidDomxen, FlaskSchema.ClassResource, Perm.Resource.Plug),
                    3 => OnInitial(caller, PolicyFormat.SidDomxen, FlaskSchema.ClassResource, Perm.Resource.Use),
                    _ => Unknown(),
                };
            case 15: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Lockprof);
            case 18: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.CpupoolOp);
            case 19: // scheduler_op: putinfo, getinfo
                return subop switch
                {
                    0 => DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Setscheduler),
                    1 => DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Getscheduler),
                    _ => Unknown(),
                };
            case 3: case 16: case 17: case 22: case 29: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Physinfo);
            case 6: return HasPerm(caller, DomainSid(caller), Initial(PolicyFormat.SidDomxen), FlaskSchema.ClassDomain, Perm.Domain.Getdomaininfo);
            case 11: // cpu_hotplug: online/smt_enable plug, offline/smt_disable unplug
                return subop switch
                {
                    0 or 2 => OnInitial(caller, PolicyFormat.SidDomxen, FlaskSchema.ClassResource, Perm.Resource.Plug),
                    1 or 3 => OnInitial(caller, PolicyFormat.SidDomxen, FlaskSchema.ClassResource, Perm.Resource.Unplug),
                    _ => Unknown(),
                };
            case 21: return DomainHasXen(caller, FlaskSchema.ClassXen2, Perm.Xen2.PsrCmtOp);
            case 23: return DomainHasXen(caller, FlaskSchema.ClassXen2, Perm.Xen2.PsrAlloc);
            case 26: return DomainHasXen(caller, FlaskSchema.ClassXen2, Perm.Xen2.GetCpuFeatureset);
            case 27: return DomainHasXen(caller, FlaskSchema.ClassXen2, Perm.Xen2.LivepatchOp);
            case 20: return DomainHasXen(caller, FlaskSchema.ClassXen2, Perm.Xen2.CoverageOp);
            default: return Unknown();
        }
    }

    public override int SetTarget(Domain caller, Domain d, Domain e)
    {
        int rc = DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.MakePrivFor);
        if (rc == 0) rc = DomainHasPerm(caller, e, FlaskSchema.ClassDomain2, Perm.Domain2.SetAsTarget);
        if (rc == 0) rc = HasPerm(caller, DomainSid(d), DomainSid(e), FlaskSchema.ClassDomain, Perm.Domain.SetTarget);
        if (rc != 0) return rc;
        int slot = Slot(d.Id);
        if (slot >= 0)
            _targetSid[slot] = _policy != null ? _policy.Transition(DomainSid(e), DomainSid(d), FlaskSchema.ClassDomain) : DomainSid(e);
        return 0;
    }

    public override int Domctl(Domain caller, Domain d, uint cmd, uint ssidref)
    {
        switch (cmd)
        {
            case 1: return HasPerm(caller, DomainSid(caller), ssidref, FlaskSchema.ClassDomain, Perm.Domain.Create);
            // Commands with hooks of their own never reach here.
            case 5: case 19: case 20: case 21: case 38: case 39: case 40: case 46: case 48: case 50: case 88:
                return -Errno.EILSEQ;
            case 2: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Destroy);
            case 3: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Pause);
            case 4: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Unpause);
            case 9: case 68: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Setaffinity);
            case 25: case 69: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Getaffinity);
            case 27: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Resume);
            case 15: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.MaxVcpus);
            case 11: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Setdomainmaxmem);
            case 17: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Setdomainhandle);
            // scheduler_op: Xen picks get or set from the nested cmd, which this hook does not
            // carry, so both are required.
            case 16:
                int rc = DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Getscheduler);
                return rc != 0 ? rc : DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.Setscheduler);
            case 42: case 73: case 12: case 62: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Setvcpucontext);
            case 43: case 72: case 13: case 63: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Getvcpucontext);
            case 14: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Getvcpuinfo);
            case 24: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Settime);
            case 18: case 54: case 84: case 1000: case 1001: case 1002: case 1003:
                return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Setdebugging);
            case 61: return DomainHasPerm(caller, d, FlaskSchema.ClassMmu, Perm.Mmu.Pageinfo);
            case 22: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Hypercall);
            case 34: return DomainHasPerm(caller, d, FlaskSchema.ClassHvm, Perm.Hvm.Sethvmc);
            case 33: case 55: return DomainHasPerm(caller, d, FlaskSchema.ClassHvm, Perm.Hvm.Gethvmc);
            case 35: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Setaddrsize);
            case 36: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Getaddrsize);
            // shadow_op: the nested op picks disable/enable/logdirty; without it, all three.
            case 10: return DomainHasPerm(caller, d, FlaskSchema.ClassShadow, Perm.Shadow.Disable | Perm.Shadow.Enable | Perm.Shadow.Logdirty);
            case 57: return DomainHasPerm(caller, d, FlaskSchema.ClassHvm, Perm.Hvm.MemSharing);
            case 28: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Trigger);
            case 64: case 77: case 56: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.VmEvent);
            case 29: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.SetMiscInfo);
            case 66: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.SetVirqHandler);
            case 83: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.SetCpuPolicy);
            case 59: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.Gettsc);
            case 60: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.Settsc);
            case 65: return DomainHasPerm(caller, d, FlaskSchema.ClassHvm, Perm.Hvm.AuditP2m);
            case 71: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.Cacheflush);
            // Xen checks DOMAIN2__SET_VNUMAINFO against class domain here (hooks.c); we use domain2,
            // where the permission is declared.
            case 74: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.SetVnumainfo);
            case 75: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.PsrCmtOp);
            case 78: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.PsrAlloc);
            case 79: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.SoftReset);
            case 81: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.VuartOp);
            case 82: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.GetCpuPolicy);
            case 85: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Getpagingmempool);
            case 86: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Setpagingmempool);
            case 87: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.DtOverlay);
            case 89: return DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.SetLlcColors);
            // assign/test_assign/deassign_device need the device from the nested struct: not carried.
            default: return Unknown();
        }
    }

    public override int EvtchnUnbound(Domain caller, Domain d, uint port, ushort id2)
    {
        Domain d2 = id2 == DomainIds.Self ? caller : d.Hv.Lookup(id2);
        if (d2 == null) return -Errno.EPERM;
        uint sid1 = DomainSid(d), sid2 = TargetSid(d, d2);
        uint newSid = _policy != null ? _policy.Transition(sid1, sid2, FlaskSchema.ClassEvent) : sid2;
        int rc = HasPerm(caller, DomainSid(caller), newSid, FlaskSchema.ClassEvent, Perm.Event.Create);
        if (rc == 0) rc = HasPerm(caller, newSid, sid2, FlaskSchema.ClassEvent, Perm.Event.Bind);
        if (rc == 0) SetPortSid(d, port, newSid);
        return rc;
    }

    public override int EvtchnInterdomain(Domain d1, uint port1, Domain d2, uint port2)
    {
        uint sid1 = DomainSid(d1), sid2 = TargetSid(d1, d2);
        uint newSid = _policy != null ? _policy.Transition(sid1, sid2, FlaskSchema.ClassEvent) : sid2;
        int rc = HasPerm(d1, sid1, newSid, FlaskSchema.ClassEvent, Perm.Event.Create);
        if (rc == 0) rc = HasPerm(d1, newSid, sid2, FlaskSchema.ClassEvent, Perm.Event.Bind);
        // The remote end may have been relabelled since it was made unbound: re-check its binding.
        if (rc == 0) rc = HasPerm(d1, PortSid(d2, port2), TargetSid(d2, d1), FlaskSchema.ClassEvent, Perm.Event.Bind);
        if (rc == 0) SetPortSid(d1, port1, newSid);
        return rc;
    }

    /// <summary>Xen checks send only on interdomain channels; the hook does not carry the state,
    /// so a port labelled by the unbound/interdomain hooks is checked and any other is not.</summary>
    public override int EvtchnSend(Domain d, uint port)
    {
        uint sid = PortSid(d, port);
        return sid == 0 ? 0 : HasPerm(d, DomainSid(d), sid, FlaskSchema.ClassEvent, Perm.Event.Send);
    }

    public override int EvtchnStatus(Domain caller, Domain d, uint port) =>
        HasPerm(d, DomainSid(d), PortSidOrUnlabeled(d, port), FlaskSchema.ClassEvent, Perm.Event.Status);

    uint PortSidOrUnlabeled(Domain d, uint port)
    {
        uint sid = PortSid(d, port);
        return sid != 0 ? sid : Unlabeled;
    }

    public override int EvtchnReset(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassEvent, Perm.Event.Reset);

    const uint GntmapReadonly = 1u << 2;

    public override int GrantMapref(Domain d1, Domain d2, uint flags) =>
        DomainHasPerm(d1, d2, FlaskSchema.ClassGrant, Perm.Grant.MapRead | ((flags & GntmapReadonly) == 0 ? Perm.Grant.MapWrite : 0));

    public override int GrantUnmapref(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassGrant, Perm.Grant.Unmap);
    public override int GrantSetup(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassGrant, Perm.Grant.Setup);
    public override int GrantTransfer(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassGrant, Perm.Grant.Transfer);
    public override int GrantCopy(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassGrant, Perm.Grant.Copy);
    public override int GrantQuerySize(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassGrant, Perm.Grant.Query);

    public override int InitHardwareDomain(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.CreateHardwareDomain);
    public override int GetPodTarget(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Getpodtarget);
    public override int SetPodTarget(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain, Perm.Domain.Setpodtarget);
    public override int MemoryExchange(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassMmu, Perm.Mmu.Exchange);
    public override int MemoryAdjustReservation(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassMmu, Perm.Mmu.Adjust);
    public override int MemoryStatReservation(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassMmu, Perm.Mmu.Stat);
    public override int MemoryPinPage(Domain d1, Domain d2, ulong mfn) => DomainHasPerm(d1, d2, FlaskSchema.ClassMmu, Perm.Mmu.Pinpage);
    public override int AddToPhysmap(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassMmu, Perm.Mmu.Physmap);
    public override int RemoveFromPhysmap(Domain d1, Domain d2) => DomainHasPerm(d1, d2, FlaskSchema.ClassMmu, Perm.Mmu.Physmap);
    public override int MapGmfnForeign(Domain d, Domain t) => DomainHasPerm(d, t, FlaskSchema.ClassMmu, Perm.Mmu.MapRead | Perm.Mmu.MapWrite);
    public override int ClaimPages(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.Setclaim);
    public override int Kexec(Domain caller) => DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Kexec);
    public override int MapDomainPirq(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassResource, Perm.Resource.Add);
    public override int UnmapDomainPirq(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassResource, Perm.Resource.Remove);

    /// <summary>An IRQ's label: an MSI is labelled by its device, any other IRQ by its number.</summary>
    uint IrqSid(int irq, uint msiBdf) =>
        msiBdf != 0 ? ResourceSid(PolicyFormat.OconDevice, msiBdf) : ResourceSid(PolicyFormat.OconIrq, (ulong)(uint)irq);

    public override int MapDomainIrq(Domain caller, Domain d, int irq, uint msiBdf)
    {
        if (irq < 0) return -Errno.EINVAL;
        uint sid = IrqSid(irq, msiBdf);
        int rc = HasPerm(caller, DomainSid(caller), sid, FlaskSchema.ClassResource, Perm.Resource.AddIrq);
        return rc != 0 ? rc : HasPerm(caller, DomainSid(d), sid, FlaskSchema.ClassResource, UsePerm(d));
    }

    public override int UnmapDomainIrq(Domain caller, Domain d, int irq, uint msiBdf)
    {
        if (irq < 0) return -Errno.EINVAL;
        return HasPerm(caller, DomainSid(caller), IrqSid(irq, msiBdf), FlaskSchema.ClassResource, Perm.Resource.RemoveIrq);
    }

    /// <summary>XenLite keeps no pirq→irq map here: the machine IRQ is labelled directly.</summary>
    public override int BindPtIrq(Domain caller, Domain d, uint machineIrq)
    {
        int rc = DomainHasPerm(caller, d, FlaskSchema.ClassResource, Perm.Resource.Add);
        if (rc != 0) return rc;
        uint sid = ResourceSid(PolicyFormat.OconIrq, machineIrq);
        rc = HasPerm(caller, DomainSid(caller), sid, FlaskSchema.ClassHvm, Perm.Hvm.BindIrq);
        return rc != 0 ? rc : HasPerm(caller, DomainSid(d), sid, FlaskSchema.ClassResource, UsePerm(d));
    }

    public override int UnbindPtIrq(Domain caller, Domain d, uint machineIrq) => DomainHasPerm(caller, d, FlaskSchema.ClassResource, Perm.Resource.Remove);

    public override int IrqPermission(Domain caller, Domain d, int pirq, byte allow) =>
        DomainHasPerm(caller, d, FlaskSchema.ClassResource, allow != 0 ? Perm.Resource.Add : Perm.Resource.Remove);

    public override int IomemPermission(Domain caller, Domain d, ulong s, ulong e, byte allow) =>
        RangePermission(caller, d, PolicyFormat.OconIomem, s, e, allow, Perm.Resource.AddIomem, Perm.Resource.RemoveIomem);

    public override int IomemMapping(Domain caller, Domain d, ulong s, ulong e, byte allow) => IomemPermission(caller, d, s, e, allow);

    public override int IomemMappingVpci(Domain caller, Domain d, ulong s, ulong e, byte allow) => IomemPermission(caller, d, s, e, allow);

    /// <summary>security_iterate_*_sids: every label covering part of [s, e] is checked (the caller
    /// may add/remove it, d may use it), and the kind's initial SID for any part no label covers.</summary>
    int RangePermission(Domain caller, Domain d, uint kind, ulong s, ulong e, byte allow, uint addPerm, uint removePerm)
    {
        if (e < s) return -Errno.EINVAL;
        int rc = DomainHasPerm(caller, d, FlaskSchema.ClassResource, allow != 0 ? Perm.Resource.Add : Perm.Resource.Remove);
        if (rc != 0 || _policy == null) return rc;
        uint perm = allow != 0 ? addPerm : removePerm;
        uint csid = DomainSid(caller), dsid = DomainSid(d);
        ulong covered = 0;
        for (int i = 0; i < _policy.OcontextCount; i++)
        {
            _policy.OcontextAt(i, out uint k, out ulong lo, out ulong hi, out uint sid);
            if (k != kind || hi < s || lo > e) continue;
            covered += (hi < e ? hi : e) - (lo > s ? lo : s) + 1;
            rc = RangeCheck(caller, csid, dsid, sid, perm, d);
            if (rc != 0) return rc;
        }
        if (covered < e - s + 1) rc = RangeCheck(caller, csid, dsid, Initial(FlaskPolicy.DefaultSidOf(kind)), perm, d);
        return rc;
    }

    int RangeCheck(Domain caller, uint csid, uint dsid, uint rsid, uint perm, Domain d)
    {
        int rc = HasPerm(caller, csid, rsid, FlaskSchema.ClassResource, perm);
        return rc != 0 ? rc : HasPerm(caller, dsid, rsid, FlaskSchema.ClassResource, UsePerm(d));
    }

    public override int ResourcePlugPci(Domain caller, uint machineBdf) =>
        HasPerm(caller, DomainSid(caller), ResourceSid(PolicyFormat.OconDevice, machineBdf), FlaskSchema.ClassResource, Perm.Resource.Plug);

    public override int ResourceUnplugPci(Domain caller, uint machineBdf) =>
        HasPerm(caller, DomainSid(caller), ResourceSid(PolicyFormat.OconDevice, machineBdf), FlaskSchema.ClassResource, Perm.Resource.Unplug);

    public override int GetDeviceGroup(Domain caller, uint machineBdf) =>
        HasPerm(caller, DomainSid(caller), ResourceSid(PolicyFormat.OconDevice, machineBdf), FlaskSchema.ClassResource, Perm.Resource.StatDevice);

    public override int ResourceSetupMisc(Domain caller) => OnInitial(caller, PolicyFormat.SidXen, FlaskSchema.ClassResource, Perm.Resource.Setup);

    public override int ResourceSetupPci(Domain caller, uint machineBdf) =>
        HasPerm(caller, DomainSid(caller), ResourceSid(PolicyFormat.OconDevice, machineBdf), FlaskSchema.ClassResource, Perm.Resource.Setup);

    public override int ResourceSetupGsi(Domain caller, int gsi)
    {
        if (gsi < 0) return -Errno.EINVAL;
        return HasPerm(caller, DomainSid(caller), ResourceSid(PolicyFormat.OconIrq, (ulong)gsi), FlaskSchema.ClassResource, Perm.Resource.Setup);
    }

    /// <summary>Writes to the BARs (config space 0x10..0x27) count as setup; anything else as use.</summary>
    public override int PciConfigPermission(Domain caller, Domain d, uint machineBdf, ushort start, ushort end, byte access)
    {
        uint perm = access != 0 && end >= 0x10 && start < 0x28 ? Perm.Resource.Setup : UsePerm(d);
        return HasPerm(d, DomainSid(d), ResourceSid(PolicyFormat.OconDevice, machineBdf), FlaskSchema.ClassResource, perm);
    }

    public override int HypfsOp(Domain caller) => DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.HypfsOp);

    public override int HvmParam(Domain caller, Domain d, ulong op) =>
        DomainHasPerm(caller, d, FlaskSchema.ClassHvm, op == 0 ? Perm.Hvm.Setparam : op == 1 ? Perm.Hvm.Getparam : Perm.Hvm.Hvmctl);

    public override int HvmParamAltp2mhvm(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassHvm, Perm.Hvm.Altp2mhvm);

    /// <summary>The altp2m mode narrows what a domain may do to itself: external forbids it, limited
    /// allows only vcpu_enable_notify (op 3).</summary>
    public override int HvmAltp2mhvmOp(Domain caller, Domain d, ulong mode, uint op)
    {
        bool selfForbidden = mode == 2 || (mode == 3 && op != 3);
        if (selfForbidden && d == caller) return -Errno.EPERM;
        return DomainHasPerm(caller, d, FlaskSchema.ClassHvm, Perm.Hvm.Altp2mhvmOp);
    }

    public override int GetVnumainfo(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.GetVnumainfo);
    public override int MemAccess(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.MemAccess);
    public override int MemPaging(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.MemPaging);
    public override int MemSharing(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.MemSharing);

    public override int MemSharingOp(Domain caller, Domain d, Domain cd, int op)
    {
        int rc = DomainHasPerm(caller, cd, FlaskSchema.ClassHvm, Perm.Hvm.MemSharing);
        return rc != 0 ? rc : DomainHasPerm(d, cd, FlaskSchema.ClassHvm, Perm.Hvm.ShareMem);
    }

    public override int PlatformOp(Domain caller, uint op)
    {
        switch (op)
        {
            case 56: case 58: case 59: return OnInitial(caller, PolicyFormat.SidDomxen, FlaskSchema.ClassResource, Perm.Resource.Plug);
            case 57: return OnInitial(caller, PolicyFormat.SidDomxen, FlaskSchema.ClassResource, Perm.Resource.Unplug);
            case 17: case 62: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Settime);
            case 31: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.MtrrAdd);
            case 32: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.MtrrDel);
            case 33: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.MtrrRead);
            case 35: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Microcode);
            case 39: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Quirk);
            case 50: case 49: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Firmware);
            case 51: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Sleep);
            case 52: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Frequency);
            case 53: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Getidle);
            case 54: case 60: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.PmOp);
            case 48: case 55: return DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.Getcpuinfo);
            case 61: return DomainHasXen(caller, FlaskSchema.ClassXen2, Perm.Xen2.ResourceOp);
            case 63: return DomainHasXen(caller, FlaskSchema.ClassXen2, Perm.Xen2.GetSymbol);
            case 64: return DomainHasXen(caller, FlaskSchema.ClassXen2, Perm.Xen2.GetDom0Console);
            default: return Unknown();
        }
    }

    public override int Apic(Domain d, int cmd) => cmd switch
    {
        8 or 10 => DomainHasXen(d, FlaskSchema.ClassXen, Perm.Xen.Readapic),
        9 => DomainHasXen(d, FlaskSchema.ClassXen, Perm.Xen.Writeapic),
        _ => Unknown(),
    };

    public override int MachineMemoryMap(Domain caller) => OnInitial(caller, PolicyFormat.SidXen, FlaskSchema.ClassMmu, Perm.Mmu.Memorymap);
    public override int DomainMemoryMap(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassMmu, Perm.Mmu.Memorymap);
    public override int DoMca(Domain caller) => DomainHasXen(caller, FlaskSchema.ClassXen, Perm.Xen.McaOp);

    // XSM_MMU_* flags (xsm.h).
    const uint MmuUpdateRead = 1, MmuUpdateWrite = 2, MmuMachphysUpdate = 8;

    public override int MmuUpdate(Domain d, Domain t, Domain f, uint flags)
    {
        int rc = 0;
        if (t != null && d != t) rc = DomainHasPerm(d, t, FlaskSchema.ClassMmu, Perm.Mmu.RemoteRemap);
        if (rc != 0) return rc;
        uint perms = ((flags & MmuUpdateRead) != 0 ? Perm.Mmu.MapRead : 0)
            | ((flags & MmuUpdateWrite) != 0 ? Perm.Mmu.MapWrite : 0)
            | ((flags & MmuMachphysUpdate) != 0 ? Perm.Mmu.Updatemp : 0);
        return perms != 0 && f != null ? DomainHasPerm(d, f, FlaskSchema.ClassMmu, perms) : 0;
    }

    public override int MmuextOp(Domain d, Domain f) => DomainHasPerm(d, f, FlaskSchema.ClassMmu, Perm.Mmu.MmuextOp);

    public override int UpdateVaMapping(Domain d, Domain f, ulong pte)
    {
        if ((pte & 1) == 0) return 0; // not present: nothing is mapped
        return DomainHasPerm(d, f, FlaskSchema.ClassMmu, Perm.Mmu.MapRead | ((pte & 2) != 0 ? Perm.Mmu.MapWrite : 0));
    }

    public override int PrivMapping(Domain d, Domain t) => DomainHasPerm(d, t, FlaskSchema.ClassMmu, Perm.Mmu.TargetHack);

    public override int IoportPermission(Domain caller, Domain d, uint s, uint e, byte allow) =>
        RangePermission(caller, d, PolicyFormat.OconIoport, s, e, allow, Perm.Resource.AddIoport, Perm.Resource.RemoveIoport);

    public override int IoportMapping(Domain caller, Domain d, uint s, uint e, byte allow) => IoportPermission(caller, d, s, e, allow);

    public override int PmuOp(Domain d, uint op) => op switch
    {
        0 or 1 or 2 or 3 => DomainHasXen(d, FlaskSchema.ClassXen2, Perm.Xen2.PmuCtrl),
        4 or 5 or 6 or 7 => DomainHasXen(d, FlaskSchema.ClassXen2, Perm.Xen2.PmuUse),
        _ => -Errno.EPERM,
    };

    public override int DmOp(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassHvm, Perm.Hvm.Dm);
    public override int DomainResourceMap(Domain caller, Domain d) => DomainHasPerm(caller, d, FlaskSchema.ClassDomain2, Perm.Domain2.ResourceMap);

    public override void EvtchnClosePost(Domain d, uint port) => SetPortSid(d, port, 0);

    /// <summary>New domains start unlabeled; the idle domain is xenboot_t, DOMID_XEN/IO their own
    /// initial SIDs, and a privileged domain built at boot dom0_t (domain_create then applies the
    /// label the builder asks for).</summary>
    public override int AllocSecurityDomain(Domain d)
    {
        int slot = Slot(d.Id);
        if (slot < 0) return -Errno.EINVAL;
        uint sid = Unlabeled;
        if (d.Id == DomainIds.Idle) sid = Initial(PolicyFormat.SidXenboot);
        else if (d.Id == DomainIds.Xen) sid = Initial(PolicyFormat.SidDomxen);
        else if (d.Id == DomainIds.Io) sid = Initial(PolicyFormat.SidDomio);
        else if (d.IsPrivileged && !_dom0Created) sid = Initial(PolicyFormat.SidDom0);
        _sid[slot] = _selfSid[slot] = sid;
        _targetSid[slot] = 0;
        _portSid[slot] = null;
        return 0;
    }

    public override void FreeSecurityDomain(Domain d)
    {
        int slot = Slot(d.Id);
        if (slot < 0) return;
        _sid[slot] = _selfSid[slot] = _targetSid[slot] = 0;
        _portSid[slot] = null;
    }

    public override int AllocSecurityEvtchns(Domain d, uint first, uint nr)
    {
        for (uint i = 0; i < nr; i++) SetPortSid(d, first + i, 0);
        return 0;
    }

    public override void FreeSecurityEvtchns(Domain d, uint first, uint nr)
    {
        for (uint i = 0; i < nr; i++) SetPortSid(d, first + i, 0);
    }

    // Contexts as strings need string building, which the image's runtime does not offer:
    // debug output shows no label.
    public override string ShowSecurityEvtchn(Domain d, uint port) => null;
    public override string ShowIrqSid(int irq) => null;

    public override int ArgoEnable(Domain d) => DomainHasXen(d, FlaskSchema.ClassArgo, Perm.Argo.Enable);
    public override int ArgoRegisterSingleSource(Domain d, Domain t) => DomainHasPerm(d, t, FlaskSchema.ClassArgo, Perm.Argo.RegisterSingleSource);
    public override int ArgoRegisterAnySource(Domain d) => DomainHasXen(d, FlaskSchema.ClassArgo, Perm.Argo.RegisterAnySource);
    public override int ArgoSend(Domain d, Domain t) => DomainHasPerm(d, t, FlaskSchema.ClassArgo, Perm.Argo.Send);
}

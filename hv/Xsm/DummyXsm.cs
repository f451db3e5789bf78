using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Xsm;

/// <summary>The module in force without Flask: each hook applies dummy.h's default action.</summary>
public sealed class DummyXsm : XsmModule
{
    public override string Name => "dummy";

    public override int XenVersion(Domain d, uint op) => op switch
    {
        // version, platform_parameters, get_features: always answered.
        0 or 5 or 6 => 0,
        // extraversion(2), compile_info, capabilities(2), changeset(2), pagesize, guest_handle:
        // dummy.h keeps these open to every guest. commandline(2), build_id and unknown: Priv.
        1 or 2 or 3 or 4 or 7 or 8 or 11 or 12 or 13 => XsmDefault.Check(XsmAction.Hook, d, null),
        _ => XsmDefault.Check(XsmAction.Priv, d, null),
    };

    public override int ConsoleIo(Domain d, int cmd) =>
        d.IsConsole ? XsmDefault.Check(XsmAction.Hook, d, null) : XsmDefault.Check(XsmAction.Priv, d, null);

    public override int SchedopShutdown(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.DmPriv, d1, d2);

    // The rest in xsm_ops order. Comments name only what differs from a plain default action.

    /// <summary>Only the idle domain, at the end of boot, may drop its privilege this way.</summary>
    public override int SetSystemActive(Domain caller)
    {
        if (caller.Id != DomainIds.Idle) return -Errno.EPERM;
        caller.IsPrivileged = false;
        return 0;
    }

    /// <summary>Without a policy there is no label: the ssidref is left as it is.</summary>
    public override void SecurityDomaininfo(Domain d, ref uint ssidref) { }

    public override int DomainCreate(Domain caller, Domain d, uint ssidref) => XsmDefault.Check(XsmAction.Hook, caller, d);

    public override int Getdomaininfo(Domain caller, Domain d) => XsmDefault.Check(XsmAction.XsPriv, caller, d);

    public override int GetDomainState(Domain caller, Domain d) => XsmDefault.Check(XsmAction.XsPriv, caller, d);

    public override int Sysctl(Domain caller, uint cmd, uint subop) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int SetTarget(Domain caller, Domain d, Domain e) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int Domctl(Domain caller, Domain d, uint cmd, uint ssidref)
    {
        switch (cmd)
        {
            // These have hooks of their own: reaching xsm_domctl with one is a bug in the caller.
            case DomctlBindPtIrq:
            case DomctlGetdomaininfo:
            case DomctlGetDeviceGroup:
            case DomctlGetDomainState:
            case DomctlGsiPermission:
            case DomctlIomemPermission:
            case DomctlIoportMapping:
            case DomctlIoportPermission:
            case DomctlIrqPermission:
            case DomctlMemoryMapping:
            case DomctlSetTarget:
            case DomctlUnbindPtIrq:
                return -Errno.EILSEQ;
            default:
                return XsmDefault.Check(XsmAction.Priv, caller, d);
        }
    }

    // XEN_DOMCTL_* numbers (public/domctl.h) of the commands checked by their own hooks.
    const uint DomctlGetdomaininfo = 5;
    const uint DomctlIrqPermission = 19;
    const uint DomctlIomemPermission = 20;
    const uint DomctlIoportPermission = 21;
    const uint DomctlBindPtIrq = 38;
    const uint DomctlMemoryMapping = 39;
    const uint DomctlIoportMapping = 40;
    const uint DomctlSetTarget = 46;
    const uint DomctlUnbindPtIrq = 48;
    const uint DomctlGetDeviceGroup = 50;
    const uint DomctlGsiPermission = 88;
    const uint DomctlGetDomainState = 90;

    public override int EvtchnUnbound(Domain caller, Domain d, uint port, ushort id2) => XsmDefault.Check(XsmAction.Target, caller, d);

    public override int EvtchnInterdomain(Domain d1, uint port1, Domain d2, uint port2) => XsmDefault.Check(XsmAction.Hook, d1, d2);

    public override int EvtchnSend(Domain d, uint port) => XsmDefault.Check(XsmAction.Hook, d, null);

    public override int EvtchnStatus(Domain caller, Domain d, uint port) => XsmDefault.Check(XsmAction.Target, caller, d);

    public override int EvtchnReset(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.Target, d1, d2);

    public override int GrantMapref(Domain d1, Domain d2, uint flags) => XsmDefault.Check(XsmAction.Hook, d1, d2);

    public override int GrantUnmapref(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.Hook, d1, d2);

    public override int GrantSetup(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.Target, d1, d2);

    public override int GrantTransfer(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.Hook, d1, d2);

    public override int GrantCopy(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.Hook, d1, d2);

    public override int GrantQuerySize(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.Target, d1, d2);

    public override int InitHardwareDomain(Domain caller, Domain d) => XsmDefault.Check(XsmAction.Hook, caller, d);

    public override int GetPodTarget(Domain caller, Domain d) => XsmDefault.Check(XsmAction.Priv, caller, d);

    public override int SetPodTarget(Domain caller, Domain d) => XsmDefault.Check(XsmAction.Priv, caller, d);

    public override int MemoryExchange(Domain caller, Domain d) => XsmDefault.Check(XsmAction.Target, caller, d);

    public override int MemoryAdjustReservation(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.Target, d1, d2);

    public override int MemoryStatReservation(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.Target, d1, d2);

    public override int MemoryPinPage(Domain d1, Domain d2, ulong mfn) => XsmDefault.Check(XsmAction.Hook, d1, d2);

    public override int AddToPhysmap(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.Target, d1, d2);

    public override int RemoveFromPhysmap(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.Target, d1, d2);

    public override int MapGmfnForeign(Domain d, Domain t) => XsmDefault.Check(XsmAction.Target, d, t);

    public override int ClaimPages(Domain caller, Domain d) => XsmDefault.Check(XsmAction.Priv, caller, d);

    public override int Kexec(Domain caller) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int MapDomainPirq(Domain caller, Domain d) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    public override int UnmapDomainPirq(Domain caller, Domain d) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    public override int MapDomainIrq(Domain caller, Domain d, int irq, uint msiBdf) => XsmDefault.Check(XsmAction.Hook, caller, d);

    public override int UnmapDomainIrq(Domain caller, Domain d, int irq, uint msiBdf) => XsmDefault.Check(XsmAction.Hook, caller, d);

    public override int BindPtIrq(Domain caller, Domain d, uint machineIrq) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    public override int UnbindPtIrq(Domain caller, Domain d, uint machineIrq) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    public override int IrqPermission(Domain caller, Domain d, int pirq, byte allow) => XsmDefault.Check(XsmAction.Priv, caller, d);

    public override int IomemPermission(Domain caller, Domain d, ulong s, ulong e, byte allow) => XsmDefault.Check(XsmAction.Priv, caller, d);

    public override int IomemMapping(Domain caller, Domain d, ulong s, ulong e, byte allow) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    public override int IomemMappingVpci(Domain caller, Domain d, ulong s, ulong e, byte allow) => XsmDefault.Check(XsmAction.Hook, caller, d);

    public override int ResourcePlugPci(Domain caller, uint machineBdf) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int ResourceUnplugPci(Domain caller, uint machineBdf) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int GetDeviceGroup(Domain caller, uint machineBdf) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int ResourceSetupMisc(Domain caller) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int ResourceSetupPci(Domain caller, uint machineBdf) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int ResourceSetupGsi(Domain caller, int gsi) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int PciConfigPermission(Domain caller, Domain d, uint machineBdf, ushort start, ushort end, byte access) =>
        XsmDefault.Check(XsmAction.Hook, caller, d);

    public override int HypfsOp(Domain caller) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int HvmParam(Domain caller, Domain d, ulong op) => XsmDefault.Check(XsmAction.Target, caller, d);

    public override int HvmParamAltp2mhvm(Domain caller, Domain d) => XsmDefault.Check(XsmAction.Priv, caller, d);

    /// <summary>What altp2m ops d's own kernel may issue depends on d's altp2m mode.</summary>
    public override int HvmAltp2mhvmOp(Domain caller, Domain d, ulong mode, uint op)
    {
        switch (mode)
        {
            case Altp2mMixed:
                return XsmDefault.Check(XsmAction.Target, caller, d);
            case Altp2mExternal:
                return XsmDefault.Check(XsmAction.DmPriv, caller, d);
            case Altp2mLimited:
                // A limited guest may only ask for its #VE notifications itself.
                if (op == HvmopAltp2mVcpuEnableNotify) return XsmDefault.Check(XsmAction.Target, caller, d);
                return XsmDefault.Check(XsmAction.DmPriv, caller, d);
            default:
                return -Errno.EPERM;
        }
    }

    // XEN_ALTP2M_* (public/hvm/params.h) and HVMOP_altp2m_vcpu_enable_notify (public/hvm/hvm_op.h).
    const ulong Altp2mMixed = 1;
    const ulong Altp2mExternal = 2;
    const ulong Altp2mLimited = 3;
    const uint HvmopAltp2mVcpuEnableNotify = 3;

    public override int GetVnumainfo(Domain caller, Domain d) => XsmDefault.Check(XsmAction.Target, caller, d);

    public override int MemAccess(Domain caller, Domain d) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    public override int MemPaging(Domain caller, Domain d) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    public override int MemSharing(Domain caller, Domain d) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    /// <summary>Checked against the client domain cd, not d.</summary>
    public override int MemSharingOp(Domain caller, Domain d, Domain cd, int op) => XsmDefault.Check(XsmAction.DmPriv, caller, cd);

    public override int PlatformOp(Domain caller, uint op) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int Apic(Domain d, int cmd) => XsmDefault.Check(XsmAction.Priv, d, null);

    public override int MachineMemoryMap(Domain caller) => XsmDefault.Check(XsmAction.Priv, caller, null);

    public override int DomainMemoryMap(Domain caller, Domain d) => XsmDefault.Check(XsmAction.Target, caller, d);

    public override int DoMca(Domain caller) => XsmDefault.Check(XsmAction.Priv, caller, null);

    /// <summary>Both the page owner f (unless it is DOMID_IO, i.e. MMIO) and the table owner t
    /// must be self or a device-model target.</summary>
    public override int MmuUpdate(Domain d, Domain t, Domain f, uint flags)
    {
        int rc = 0;
        if (f == null || f.Id != DomainIds.Io) rc = XsmDefault.Check(XsmAction.Target, d, f);
        if (t != null && rc == 0) rc = XsmDefault.Check(XsmAction.Target, d, t);
        return rc;
    }

    public override int MmuextOp(Domain d, Domain f) => XsmDefault.Check(XsmAction.Target, d, f);

    public override int UpdateVaMapping(Domain d, Domain f, ulong pte) => XsmDefault.Check(XsmAction.Target, d, f);

    public override int PrivMapping(Domain d, Domain t) => XsmDefault.Check(XsmAction.Target, d, t);

    public override int IoportPermission(Domain caller, Domain d, uint s, uint e, byte allow) => XsmDefault.Check(XsmAction.Priv, caller, d);

    public override int IoportMapping(Domain caller, Domain d, uint s, uint e, byte allow) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    /// <summary>A guest manages its own vPMU; the PMU mode and features are the control domain's.</summary>
    public override int PmuOp(Domain d, uint op)
    {
        switch (op)
        {
            case XenpmuInit:
            case XenpmuFinish:
            case XenpmuLvtpcSet:
            case XenpmuFlush:
                return XsmDefault.Check(XsmAction.Hook, d, null);
            default:
                return XsmDefault.Check(XsmAction.Priv, d, null);
        }
    }

    // XENPMU_* (public/pmu.h) open to every guest.
    const uint XenpmuInit = 4;
    const uint XenpmuFinish = 5;
    const uint XenpmuLvtpcSet = 6;
    const uint XenpmuFlush = 7;

    public override int DmOp(Domain caller, Domain d) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    public override int DomainResourceMap(Domain caller, Domain d) => XsmDefault.Check(XsmAction.DmPriv, caller, d);

    /// <summary>No policy, no policy interface.</summary>
    public override int DoXsmOp(Vcpu caller, ulong op) => -Errno.ENOSYS;

    public override int DoCompatOp(Vcpu caller, ulong op) => -Errno.ENOSYS;

    // Label bookkeeping: nothing to keep without a policy.

    public override void EvtchnClosePost(Domain d, uint port) { }

    public override int AllocSecurityDomain(Domain d) => 0;

    public override void FreeSecurityDomain(Domain d) { }

    public override int AllocSecurityEvtchns(Domain d, uint first, uint nr) => 0;

    public override void FreeSecurityEvtchns(Domain d, uint first, uint nr) { }

    public override string ShowSecurityEvtchn(Domain d, uint port) => null;

    public override string ShowIrqSid(int irq) => null;

    // Argo has no default restriction: its own argo= options decide.

    public override int ArgoEnable(Domain d) => 0;

    public override int ArgoRegisterSingleSource(Domain d, Domain t) => 0;

    public override int ArgoRegisterAnySource(Domain d) => 0;

    public override int ArgoSend(Domain d, Domain t) => 0;
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Xsm;

/// <summary>
/// The XSM hook contract, one method per Xen hook (xsm_xen_version → XenVersion, …).
/// Every privileged decision in hv/ goes through one of these. <see cref="DummyXsm"/>
/// applies dummy.h's default actions; the Flask plugin decides with the loaded policy.
/// Each returns 0 to allow or a negative errno.
/// </summary>
public abstract class XsmModule
{
    public abstract string Name { get; }

    /// <summary>xsm_xen_version(op).</summary>
    public abstract int XenVersion(Domain d, uint op);

    /// <summary>xsm_console_io(d, cmd).</summary>
    public abstract int ConsoleIo(Domain d, int cmd);

    /// <summary>xsm_schedop_shutdown(d1, d2): d1 shuts down d2 (SCHEDOP_remote_shutdown).</summary>
    public abstract int SchedopShutdown(Domain d1, Domain d2);
}

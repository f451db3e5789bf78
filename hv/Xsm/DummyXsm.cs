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
        // extraversion, compile_info, capabilities, changeset, pagesize, guest_handle.
        1 or 2 or 3 or 4 or 7 or 8 => XsmDefault.Check(XsmAction.Hook, d, null),
        _ => XsmDefault.Check(XsmAction.Priv, d, null),
    };

    public override int ConsoleIo(Domain d, int cmd) =>
        d.IsConsole ? XsmDefault.Check(XsmAction.Hook, d, null) : XsmDefault.Check(XsmAction.Priv, d, null);

    public override int SchedopShutdown(Domain d1, Domain d2) => XsmDefault.Check(XsmAction.DmPriv, d1, d2);
}

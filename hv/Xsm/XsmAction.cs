namespace XenLite.Hv.Xsm;

/// <summary>The default actions of Xen's dummy XSM module (xsm/dummy.h).</summary>
public enum XsmAction : byte
{
    Hook,
    DmPriv,
    Target,
    Priv,
    XsPriv,
    Other,
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Xsm;

/// <summary>Xen's xsm_default_action: what each default action allows without a policy.</summary>
public static class XsmDefault
{
    public static int Check(XsmAction action, Domain src, Domain target)
    {
        switch (action)
        {
            case XsmAction.Hook:
                return 0;
            case XsmAction.Target:
                if (src == target) return 0;
                goto case XsmAction.XsPriv;
            case XsmAction.XsPriv:
                if (action == XsmAction.XsPriv && src.IsXenstore) return 0;
                goto case XsmAction.DmPriv;
            case XsmAction.DmPriv:
                if (target != null && src.Target == target) return 0;
                goto case XsmAction.Priv;
            case XsmAction.Priv:
                return src.IsPrivileged ? 0 : -Errno.EPERM;
            default:
                return -Errno.EPERM;
        }
    }
}

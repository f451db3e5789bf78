using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.XenVersion;

/// <summary>
/// xen_version(cmd, arg): what a guest may learn about the hypervisor. One handler serves
/// 64- and 32-bit callers; only platform_parameters has a compat layout. When XSM refuses a
/// sub-op it is not an error: strings read "&lt;denied&gt;", other answers are zeroed, and
/// only the varbuf sub-ops fail with -EPERM.
/// </summary>
public static unsafe class XenVersionHandler
{
    const string Denied = "<denied>";

    public static long Handle(Vcpu v, ref HypercallArgs args)
    {
        int cmd = (int)args[0]; // Xen's prototype takes an int
        ulong arg = args[1];
        BuildInfo b = v.Hv.Build;
        bool deny = v.Hv.Xsm.XenVersion(v.Domain, (uint)cmd) != 0;

        switch (cmd)
        {
            case XenVer.Version:
                return (BuildInfo.Major << 16) | BuildInfo.Minor;
            case XenVer.Extraversion:
                return CText.CopyField(v, arg, deny ? Denied : b.ExtraVersion, XenVer.ExtraversionLen);
            case XenVer.CompileInfo:
                return CompileInfo(v, arg, b, deny);
            case XenVer.Capabilities:
                return CText.CopyField(v, arg, deny ? "" : Capabilities.For(v.Domain), XenVer.CapabilitiesInfoLen);
            case XenVer.Changeset:
                return CText.CopyField(v, arg, deny ? Denied : b.Changeset, XenVer.ChangesetInfoLen);
            case XenVer.PlatformParameters:
                return PlatformParameters.Write(v, arg);
            case XenVer.GetFeatures:
                return GuestFeatures.Handle(v, arg);
            case XenVer.Pagesize:
                if (deny) return 0;
                return arg != 0 ? -Errno.EINVAL : (long)Page.Size;
            case XenVer.GuestHandle:
                return GuestHandle(v, arg, deny);
            case XenVer.Commandline:
                // Denied, only "<denied>" and its NUL are written, not the whole field.
                return deny
                    ? CText.CopyField(v, arg, Denied, Denied.Length + 1)
                    : CText.CopyField(v, arg, b.CommandLine, XenVer.CommandlineLen);
            case XenVer.BuildId:
            case XenVer.Extraversion2:
            case XenVer.Capabilities2:
            case XenVer.Changeset2:
            case XenVer.Commandline2:
                return deny ? -Errno.EPERM : VarBuf.Handle(v, cmd, arg);
        }
        return -Errno.ENOSYS;
    }

    static long CompileInfo(Vcpu v, ulong arg, BuildInfo b, bool deny)
    {
        XenCompileInfo info = default;
        CText.Fill(info.Compiler, 64, deny ? Denied : b.Compiler);
        CText.Fill(info.CompileBy, 16, deny ? Denied : b.CompileBy);
        CText.Fill(info.CompileDomain, 32, deny ? Denied : b.CompileDomain);
        CText.Fill(info.CompileDate, 32, deny ? Denied : b.CompileDate);
        return GuestMemory.Write(v, arg, info) != 0 ? -Errno.EFAULT : 0;
    }

    static long GuestHandle(Vcpu v, ulong arg, bool deny)
    {
        byte* handle = stackalloc byte[XenVer.DomainHandleLen];
        byte[] own = v.Domain.Handle;
        for (int i = 0; i < XenVer.DomainHandleLen; i++) handle[i] = deny ? (byte)0 : own[i];
        return GuestMemory.CopyTo(v, arg, handle, XenVer.DomainHandleLen) != 0 ? -Errno.EFAULT : 0;
    }
}

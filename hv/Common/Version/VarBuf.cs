using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.XenVersion;

/// <summary>
/// The xen_varbuf sub-ops (build_id and the non-truncating *2 variants): a null argument asks
/// for the size; otherwise the guest's uint32 len says how much room follows it. Data goes
/// out without a terminator and the result is its length.
/// </summary>
internal static unsafe class VarBuf
{
    /// <summary>Xen's arbitrary cap, so a reply is never a long-running copy.</summary>
    const int MaxSize = 64 * 1024;
    const ulong DataOffset = XenVarbuf.BufOffset;

    public static long Handle(Vcpu v, int cmd, ulong arg)
    {
        BuildInfo b = v.Hv.Build;
        switch (cmd)
        {
            case XenVer.BuildId:
                byte[] id = b.BuildId;
                int len = id == null ? 0 : id.Length;
                if (len == 0) return -Errno.ENODATA;
                long rc = Check(v, arg, len);
                if (rc != 0 || arg == 0) return rc;
                fixed (byte* p = id)
                    return GuestMemory.CopyTo(v, arg + DataOffset, p, (ulong)len) != 0 ? -Errno.EFAULT : len;
            case XenVer.Extraversion2:
                return Text(v, arg, b.ExtraVersion, CText.Length(b.ExtraVersion));
            case XenVer.Changeset2:
                return Text(v, arg, b.Changeset, CText.Length(b.Changeset));
            case XenVer.Capabilities2:
                string caps = Capabilities.For(v.Domain);
                return Text(v, arg, caps, caps.Length);
            default: // Commandline2: the line as saved at boot, in a xen_commandline_t
                int n = CText.Length(b.CommandLine);
                return Text(v, arg, b.CommandLine, n < XenVer.CommandlineLen ? n : XenVer.CommandlineLen - 1);
        }
    }

    static long Text(Vcpu v, ulong arg, string s, int len)
    {
        long rc = Check(v, arg, len);
        if (rc != 0 || arg == 0) return rc;
        return CText.CopyText(v, arg + DataOffset, s, len) != 0 ? -Errno.EFAULT : len;
    }

    /// <summary>
    /// The checks before any data is written: an errno, the size when the argument is null
    /// (a size request), else 0 to go on and copy.
    /// </summary>
    static long Check(Vcpu v, ulong arg, int size)
    {
        if (size > MaxSize) return -Errno.E2BIG;
        if (arg == 0) return size;
        if (GuestMemory.Read(v, arg, out XenVarbuf header) != 0) return -Errno.EFAULT;
        if ((uint)size > header.Len) return -Errno.ENOBUFS;
        return 0;
    }
}

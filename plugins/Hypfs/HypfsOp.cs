using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Plugin.Hypfs;

/// <summary>
/// hypfs_op(cmd, path, path_len, buffer, buffer_len) — Xen's do_hypfs_op, the same handler for
/// every guest mode. Only privileged callers (xsm_hypfs_op, XSM_PRIV) get past the first line.
/// </summary>
public static unsafe class HypfsOp
{
    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        uint cmd = (uint)a[0];
        ulong path = a[1], pathLen = a[2], buf = a[3], bufLen = a[4];
        // Any refusal by XSM reads as -EPERM, as in Xen.
        if (v.Hv.Xsm.HypfsOp(v.Domain) != 0) return -Errno.EPERM;

        if (cmd == HypfsAbi.OpGetVersion)
        {
            if (path != 0 || pathLen != 0 || buf != 0 || bufLen != 0) return -Errno.EINVAL;
            return HypfsAbi.Version;
        }

        HypfsState state = HypfsState.Of(v.Hv);
        HypfsNode node;
        int rc = Lookup(v, state.Root, path, pathLen, out node);
        if (rc != 0) return rc;
        switch (cmd)
        {
            case HypfsAbi.OpRead:
                return Read(v, node, buf, bufLen);
            case HypfsAbi.OpWriteContents:
                // The node's write takes an unsigned int length: Xen truncates it there.
                return node.Write(v, buf, (uint)bufLen);
            default:
                return -Errno.EOPNOTSUPP;
        }
    }

    /// <summary>The direntry first; then, when the buffer holds them, the contents (else -ENOBUFS,
    /// the direntry telling the size needed).</summary>
    static int Read(Vcpu v, HypfsNode node, ulong buf, ulong bufLen)
    {
        if (bufLen < (ulong)sizeof(HypfsDirentry)) return -Errno.EINVAL;
        HypfsDirentry e = node.Direntry;
        if (GuestMemory.CopyTo(v, buf, &e, (ulong)sizeof(HypfsDirentry)) != 0) return -Errno.EFAULT;
        if (bufLen < (ulong)e.ContentLen + (ulong)sizeof(HypfsDirentry)) return -Errno.ENOBUFS;
        return node.Read(v, buf + (ulong)sizeof(HypfsDirentry));
    }

    /// <summary>Xen's hypfs_get_path_user + hypfs_get_entry: an absolute path, NUL-terminated at
    /// exactly <paramref name="len"/> - 1, of at most 1024 bytes.</summary>
    static int Lookup(Vcpu v, HypfsDir root, ulong addr, ulong len, out HypfsNode node)
    {
        node = null;
        if (len > HypfsAbi.MaxPathLen) return -Errno.EINVAL;
        byte* path = stackalloc byte[HypfsAbi.MaxPathLen];
        if (GuestMemory.CopyFrom(v, addr, path, len) != 0) return -Errno.EFAULT;
        if (!StringParam.NulOnlyAtEnd(path, (uint)len)) return -Errno.EINVAL;
        if (path[0] != (byte)'/') return -Errno.EINVAL;

        HypfsNode at = root;
        byte* p = path + 1;
        for (;;)
        {
            HypfsDir dir = at.AsDir;
            if (dir == null) return -Errno.ENOENT;
            if (*p == 0)
            {
                node = dir;
                return 0;
            }
            int n = 0;
            while (p[n] != 0 && p[n] != (byte)'/') n++;
            HypfsNode next = dir.Find(p, n);
            if (next == null) return -Errno.ENOENT;
            if (p[n] == 0)
            {
                node = next;
                return 0;
            }
            p += n + 1;
            at = next;
        }
    }
}

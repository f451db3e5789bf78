using System;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Flask;

// Security contexts as guests see them: `user:role:type` strings. Compiled policies label with
// types only, so a context is rendered with Xen's fixed system_u user and system_r role
// (what xl, flask-label-pci and the AVC lines use) and parsed back from either role Xen's
// policy uses (system_r for domains, object_r for resources). No MLS field: FLASK_MLS is 0.
public sealed partial class FlaskXsm
{
    static ReadOnlySpan<byte> ContextPrefix => "system_u:system_r:"u8;

    // Guest strings are read into this page-sized buffer (one hypercall at a time per hypervisor).
    readonly byte[] _string = new byte[FlaskOpAbi.MaxString + 1];

    /// <summary>safe_copy_string_from_guest: <paramref name="size"/> bytes (at most a page, else
    /// -ENOBUFS), NUL-terminated here; the string ends at its first NUL.</summary>
    unsafe int ReadString(Vcpu v, ulong addr, uint size, out int length)
    {
        length = 0;
        if (size > FlaskOpAbi.MaxString) return -Errno.ENOBUFS;
        fixed (byte* p = _string)
            if (GuestMemory.CopyFrom(v, addr, p, size) != 0) return -Errno.EFAULT;
        _string[size] = 0;
        while (_string[length] != 0) length++;
        return 0;
    }

    ReadOnlySpan<byte> StringRead(int length) => new ReadOnlySpan<byte>(_string, 0, length);

    int ContextToSidOp(Vcpu v, ref FlaskOp op)
    {
        int rc = HasSecurity(v.Domain, Perm.Security.CheckContext);
        if (rc != 0) return rc;
        rc = ReadString(v, op.SidContextContext, op.SidContextSize, out int length);
        if (rc != 0) return rc;
        uint sid = ParseContext(StringRead(length));
        if (sid == 0) return -Errno.EINVAL;
        op.SidContextSid = sid;
        return 0;
    }

    /// <summary>The SID of `system_u:(system_r|object_r):type`, or 0 when the context is not valid
    /// under the policy in force (none is valid before a policy is loaded).</summary>
    uint ParseContext(ReadOnlySpan<byte> context)
    {
        if (_policy == null) return 0;
        int first = Colon(context, 0);
        int second = first < 0 ? -1 : Colon(context, first + 1);
        if (second < 0 || Colon(context, second + 1) >= 0 || second + 1 == context.Length) return 0;
        ReadOnlySpan<byte> user = context.Slice(0, first), role = context.Slice(first + 1, second - first - 1);
        if (!user.SequenceEqual("system_u"u8)) return 0;
        if (!role.SequenceEqual("system_r"u8) && !role.SequenceEqual("object_r"u8)) return 0;
        return _policy.TypeSid(context.Slice(second + 1));
    }

    static int Colon(ReadOnlySpan<byte> s, int from)
    {
        for (int i = from; i < s.Length; i++)
            if (s[i] == (byte)':') return i;
        return -1;
    }

    /// <summary>security_sid_to_context: the context and its NUL; -ERANGE (nothing written back)
    /// when the guest's buffer is smaller. An unknown SID reads as unlabeled, as Xen's SID table
    /// remaps it.</summary>
    unsafe int SidToContextOp(Vcpu v, ref FlaskOp op)
    {
        int rc = HasSecurity(v.Domain, Perm.Security.CheckContext);
        if (rc != 0) return rc;
        if (_policy == null) return -Errno.EINVAL;
        ReadOnlySpan<byte> type = _policy.TypeName(op.SidContextSid);
        ReadOnlySpan<byte> prefix = ContextPrefix;
        uint length = (uint)(prefix.Length + type.Length + 1);
        if (length > op.SidContextSize) return -Errno.ERANGE;
        op.SidContextSize = length;
        ulong at = op.SidContextContext;
        byte nul = 0;
        fixed (byte* p = prefix)
            if (GuestMemory.CopyTo(v, at, p, (ulong)prefix.Length) != 0) return -Errno.EFAULT;
        fixed (byte* t = type)
            if (GuestMemory.CopyTo(v, at + (ulong)prefix.Length, t, (ulong)type.Length) != 0) return -Errno.EFAULT;
        return GuestMemory.CopyTo(v, at + length - 1, &nul, 1) != 0 ? -Errno.EFAULT : 0;
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Flask;

// FLASK_GETBOOL, FLASK_SETBOOL, FLASK_COMMITBOOLS: booleans by index or, with bool_id -1, by
// name; a set value stays pending until committed unless the caller asks to commit at once.
public sealed partial class FlaskXsm
{
    int BoolCount => _policy != null ? _policy.BoolCount : 0;

    /// <summary>flask_security_resolve_bool: a name lookup leaves Xen's -ENOENT in bool_id (which
    /// the range check then refuses) and size 0, so no name is written back.</summary>
    int ResolveBool(Vcpu v, ref FlaskOp op)
    {
        if (op.BoolId != FlaskOpAbi.BoolByName) return 0;
        int rc = ReadString(v, op.BoolName, op.BoolSize, out int length);
        if (rc != 0) return rc;
        int index = _policy != null ? _policy.BoolIndex(StringRead(length)) : -1;
        op.BoolId = index >= 0 ? (uint)index : unchecked((uint)-Errno.ENOENT);
        op.BoolSize = 0;
        return 0;
    }

    /// <summary>Values in force and pending; with a non-zero size also the name, without its NUL
    /// (-ERANGE when it does not fit).</summary>
    unsafe int GetBool(Vcpu v, ref FlaskOp op)
    {
        int rc = ResolveBool(v, ref op);
        if (rc != 0) return rc;
        if (op.BoolId >= (uint)BoolCount) return -Errno.ENOENT;
        int id = (int)op.BoolId;
        op.BoolEnforcing = _policy.BoolValues[id];
        op.BoolPending = _policy.BoolPending[id];
        if (op.BoolSize == 0) return 0;
        var name = _policy.BoolName(id);
        rc = (uint)name.Length > op.BoolSize ? -Errno.ERANGE : 0;
        op.BoolSize = (uint)name.Length;
        if (rc != 0) return rc;
        fixed (byte* p = name)
            return GuestMemory.CopyTo(v, op.BoolName, p, (ulong)name.Length) != 0 ? -Errno.EFAULT : 0;
    }

    int SetBool(Vcpu v, ref FlaskOp op)
    {
        int rc = HasSecurity(v.Domain, Perm.Security.Setbool);
        if (rc == 0) rc = ResolveBool(v, ref op);
        if (rc != 0) return rc;
        if (op.BoolId >= (uint)BoolCount) return -Errno.ENOENT;
        int id = (int)op.BoolId;
        byte value = op.BoolNewValue != 0 ? (byte)1 : (byte)0;
        if (op.BoolCommit != 0)
        {
            _policy.CommitBoolean(id, value);
            Seqno++;
        }
        else _policy.BoolPending[id] = value;
        op.BoolPending = value;
        op.BoolEnforcing = _policy.BoolValues[id];
        return 0;
    }

    int CommitBools(Domain d)
    {
        int rc = HasSecurity(d, Perm.Security.Setbool);
        if (rc != 0 || _policy == null) return rc;
        _policy.CommitBooleans();
        Seqno++;
        return 0;
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Plugin.Hypfs;

/// <summary>
/// A string runtime parameter written as is (Xen's string_runtime_param with hypfs_write_leaf):
/// at most <see cref="HypfsNode.MaxSize"/> bytes, a NUL exactly at the end.
/// </summary>
public sealed unsafe class StringParam : HypfsLeaf
{
    public StringParam(string name, string value, uint capacity) : base(name, HypfsAbi.TypeString, new byte[capacity])
    {
        MaxSize = capacity;
        SetFromCommandLine(value, 0, value.Length);
    }

    /// <summary>Boot-time assignment (Xen's OPT_STR: strlcpy into the variable, truncating).</summary>
    public void SetFromCommandLine(string line, int start, int end)
    {
        uint n = 0;
        for (int i = start; i < end && n + 1 < MaxSize; i++) Content[n++] = (byte)line[i];
        Content[n] = 0;
        Length = n + 1;
    }

    public override int Write(Vcpu v, ulong addr, uint len)
    {
        if (len > MaxSize) return -Errno.ENOSPC;
        byte* buf = stackalloc byte[(int)MaxSize];
        if (GuestMemory.CopyFrom(v, addr, buf, len) != 0) return -Errno.EFAULT;
        if (!NulOnlyAtEnd(buf, len)) return -Errno.EINVAL;
        for (uint i = 0; i < len; i++) Content[i] = buf[i];
        Length = len;
        return 0;
    }

    /// <summary>True when the first NUL of the <paramref name="len"/> bytes is the last byte.</summary>
    public static bool NulOnlyAtEnd(byte* buf, uint len)
    {
        if (len == 0) return false;
        for (uint i = 0; i < len - 1; i++)
            if (buf[i] == 0) return false;
        return buf[len - 1] == 0;
    }
}

/// <summary>
/// A custom runtime parameter (Xen's custom_runtime_param with hypfs_write_custom): a written
/// value goes to the parameter's parser, which also keeps the string hypfs shows. Writes up
/// to 128 bytes (MAX_PARAM_SIZE) are accepted whatever max_write_len says, as in Xen.
/// </summary>
public abstract unsafe class CustomParam : HypfsLeaf
{
    protected CustomParam(string name, uint capacity) : base(name, HypfsAbi.TypeString, new byte[capacity])
    {
        MaxSize = capacity;
    }

    /// <summary>Parses a value (boot option or hypfs write); 0 or a negative errno.</summary>
    public abstract int Parse(byte* s, int length);

    /// <summary>Sets the shown value: <paramref name="text"/> and its NUL.</summary>
    protected void Show(string text)
    {
        Clear();
        Append(text);
    }

    protected void Clear()
    {
        for (int i = 0; i < Content.Length; i++) Content[i] = 0;
        Length = 1;
    }

    /// <summary>Appends to the shown value (Xen builds these with snprintf into a fixed buffer).</summary>
    protected void Append(string text)
    {
        for (int i = 0; i < text.Length && Length < Content.Length; i++) Content[Length++ - 1] = (byte)text[i];
    }

    public override int Write(Vcpu v, ulong addr, uint len)
    {
        if (len > HypfsAbi.MaxParamSize) return -Errno.ENOSPC;
        byte* buf = stackalloc byte[(int)HypfsAbi.MaxParamSize];
        if (GuestMemory.CopyFrom(v, addr, buf, len) != 0) return -Errno.EFAULT;
        if (!StringParam.NulOnlyAtEnd(buf, len)) return -Errno.EDOM;
        return Parse(buf, (int)len - 1);
    }
}

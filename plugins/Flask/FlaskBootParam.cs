using System;

namespace XenLite.Flask;

/// <summary>Xen's flask= command-line option.</summary>
public enum FlaskMode : byte
{
    /// <summary>Enforce the boot policy (Xen's default when Flask is built in).</summary>
    Enforcing,
    /// <summary>Log denials without enforcing them.</summary>
    Permissive,
    /// <summary>Do not use Flask: the dummy module decides.</summary>
    Disabled,
    /// <summary>Ignore the boot policy; enforce once one is loaded at run time.</summary>
    Late,
    Invalid,
}

public static class FlaskBootParam
{
    public static FlaskMode Parse(ReadOnlySpan<byte> value)
    {
        if (value.SequenceEqual("enforcing"u8)) return FlaskMode.Enforcing;
        if (value.SequenceEqual("permissive"u8)) return FlaskMode.Permissive;
        if (value.SequenceEqual("disabled"u8)) return FlaskMode.Disabled;
        if (value.SequenceEqual("late"u8)) return FlaskMode.Late;
        return FlaskMode.Invalid;
    }
}

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
    /// <summary>No flask= on the command line: as Enforcing, except that a boot policy compiled
    /// as permissive starts permissive.</summary>
    Unset,
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

    /// <summary>The mode a command line asks for: its last `flask=` word, as Xen's parser keeps the
    /// last value given.</summary>
    public static FlaskMode FromCommandLine(string line)
    {
        FlaskMode mode = FlaskMode.Unset;
        if (line == null) return mode;
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] == ' ') i++;
            int start = i;
            while (i < line.Length && line[i] != ' ') i++;
            if (i - start < 6 || !Is(line, start, start + 6, "flask=")) continue;
            int v = start + 6;
            if (Is(line, v, i, "enforcing")) mode = FlaskMode.Enforcing;
            else if (Is(line, v, i, "permissive")) mode = FlaskMode.Permissive;
            else if (Is(line, v, i, "disabled")) mode = FlaskMode.Disabled;
            else if (Is(line, v, i, "late")) mode = FlaskMode.Late;
            else mode = FlaskMode.Invalid;
        }
        return mode;
    }

    static bool Is(string s, int start, int end, string word)
    {
        if (end - start != word.Length) return false;
        for (int k = 0; k < word.Length; k++)
            if (s[start + k] != word[k]) return false;
        return true;
    }
}

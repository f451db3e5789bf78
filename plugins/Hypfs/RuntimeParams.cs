using XenLite.Hv.Abi;

namespace XenLite.Plugin.Hypfs;

/// <summary>
/// loglvl / guest_loglvl (Xen's parse_loglvl): `level[/level]`, the levels always printed and
/// printed rate-limited. Shown as "lower/upper". An unknown level counts as warning and makes
/// the write fail with -EINVAL, but, as in Xen, what was parsed still takes effect.
/// </summary>
public sealed unsafe class LogLevelParam : CustomParam
{
    // Xen's lvl2opt, indexed by threshold.
    static readonly string[] Names = { "none", "error", "warning", "info", "all" };

    public int Lower, Upper;

    /// <summary>The thresholds of a release build of Xen: loglvl=info/info, guest_loglvl=none/warning.</summary>
    public LogLevelParam(string name, int lower, int upper) : base(name, 16)
    {
        Set(lower, upper);
    }

    void Set(int lower, int upper)
    {
        Lower = lower;
        Upper = upper;
        Show(Names[lower]);
        Append("/");
        Append(Names[upper]);
    }

    public override int Parse(byte* s, int length)
    {
        int pos = 0;
        int lower = Level(s, length, ref pos);
        int upper = lower;
        if (pos < length && s[pos] == (byte)'/')
        {
            int after = pos + 1;
            upper = Level(s, length, ref after);
            if (after != pos + 1) pos = after;
        }
        if (upper < lower) upper = lower;
        Set(lower, upper);
        return pos < length ? -Errno.EINVAL : 0;
    }

    // A level name at s[pos] (prefix match, as Xen's strncmp); pos moves past it. Unknown: warning, pos stays.
    static int Level(byte* s, int length, ref int pos)
    {
        if (Prefix(s, length, ref pos, "none")) return 0;
        if (Prefix(s, length, ref pos, "error")) return 1;
        if (Prefix(s, length, ref pos, "warning")) return 2;
        if (Prefix(s, length, ref pos, "info")) return 3;
        if (Prefix(s, length, ref pos, "debug")) return 4;
        if (Prefix(s, length, ref pos, "all")) return 4;
        return 2;
    }

    static bool Prefix(byte* s, int length, ref int pos, string word)
    {
        if (length - pos < word.Length) return false;
        for (int i = 0; i < word.Length; i++)
            if (s[pos + i] != (byte)word[i]) return false;
        pos += word.Length;
        return true;
    }
}

/// <summary>console_timestamps (Xen's parse_console_timestamps): a boolean (date or none) or a mode name.</summary>
public sealed unsafe class TimestampsParam : CustomParam
{
    static readonly string[] Names = { "none", "date", "datems", "boot", "raw" };

    public int Mode;

    public TimestampsParam() : base("console_timestamps", 7) => Show(Names[0]);

    public override int Parse(byte* s, int length)
    {
        // A boolean picks none (0) or date (1); an empty value is date, as the old boolean option.
        int mode = Bool(s, length);
        if (mode < 0 && length == 0) mode = 1;
        else if (mode < 0)
        {
            mode = -1;
            for (int i = 0; i < Names.Length; i++)
                if (Is(s, length, Names[i])) mode = i;
            if (mode < 0) return -Errno.EINVAL;
        }
        Mode = mode;
        Show(Names[mode]);
        return 0;
    }

    // Xen's parse_bool: 1, 0 or -1 when the text is no boolean.
    static int Bool(byte* s, int length)
    {
        if (Is(s, length, "1") || Is(s, length, "on") || Is(s, length, "yes") || Is(s, length, "true") || Is(s, length, "enable")) return 1;
        if (Is(s, length, "0") || Is(s, length, "no") || Is(s, length, "off") || Is(s, length, "false") || Is(s, length, "disable")) return 0;
        return -1;
    }

    static bool Is(byte* s, int length, string word)
    {
        if (length != word.Length) return false;
        for (int i = 0; i < length; i++)
            if (s[i] != (byte)word[i]) return false;
        return true;
    }
}

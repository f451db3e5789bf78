namespace XenLite.Hv.Common.Boot;

/// <summary>Readers for command-line values, in Xen's formats; each returns false for a value it cannot take.</summary>
public static unsafe class OptionValue
{
    static readonly string[] LogLevels = { "none", "error", "warning", "info", "debug", "all" };

    /// <summary>level[/rate-limited level]: only the first part matters here; its index in <see cref="LogLevels"/>.</summary>
    public static bool ParseLogLevel(byte* v, int n, ref int level)
    {
        int end = 0;
        while (end < n && v[end] != (byte)'/') end++;
        for (int i = 0; i < LogLevels.Length; i++)
        {
            if (!Is(v, end, LogLevels[i])) continue;
            level = i;
            return true;
        }
        return false;
    }

    /// <summary>Decimal with an optional B/K/M/G suffix (Xen's parse_size_and_unit; no suffix means KiB), in bytes.</summary>
    public static bool ParseSize(byte* v, int n, out ulong bytes)
    {
        bytes = 0;
        int i = 0;
        ulong number = 0;
        while (i < n && v[i] >= (byte)'0' && v[i] <= (byte)'9')
        {
            if (number > (ulong.MaxValue - 9) / 10) return false;
            number = number * 10 + (ulong)(v[i] - (byte)'0');
            i++;
        }
        if (i == 0) return false;
        int shift = 10;
        if (i < n)
        {
            switch (v[i] | 0x20)
            {
                case 'b': shift = 0; break;
                case 'k': shift = 10; break;
                case 'm': shift = 20; break;
                case 'g': shift = 30; break;
                default: return false;
            }
            i++;
        }
        if (i != n || number > ulong.MaxValue >> shift) return false;
        bytes = number << shift;
        return true;
    }

    public static bool IsOneOf(byte* w, int n, string[] names)
    {
        for (int k = 0; k < names.Length; k++)
            if (Is(w, n, names[k])) return true;
        return false;
    }

    /// <summary>Whether the <paramref name="n"/> bytes at <paramref name="w"/> spell <paramref name="name"/>.</summary>
    public static bool Is(byte* w, int n, string name)
    {
        if (n != name.Length) return false;
        for (int k = 0; k < n; k++)
            if (w[k] != (byte)name[k]) return false;
        return true;
    }
}

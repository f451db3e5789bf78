using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The hypervisor command line (/chosen bootargs), read once as Xen's cmdline_parse does:
/// `name` or `name=value` words; an unknown name is reported (`parameter "x" unknown!`) and
/// ignored, a bad value reported with Xen's wording and the default kept.
/// </summary>
public sealed unsafe class Arm64Options
{
    public const int LogWarning = 2, LogAll = 5;

    public int LogLevel = LogWarning;
    /// <summary>dom0_mem= in KiB; 0 = the default.</summary>
    public ulong Dom0MemoryKiB;

    static readonly string[] LogLevels = { "none", "error", "warning", "info", "debug", "all" };
    // Accepted for compatibility with Xen command lines; nothing here depends on them.
    static readonly string[] Ignored = { "guest_loglvl", "sync_console", "noreboot", "console_timestamps", "dom0_max_vcpus", "bootscrub", "vwfi" };

    public static Arm64Options Parse(HvConsole c, byte* line, int length)
    {
        var o = new Arm64Options();
        int i = 0;
        while (i < length)
        {
            while (i < length && line[i] == (byte)' ') i++;
            int start = i;
            while (i < length && line[i] != (byte)' ') i++;
            if (i > start) o.Word(c, line + start, i - start);
        }
        return o;
    }

    void Word(HvConsole c, byte* w, int n)
    {
        int eq = 0;
        while (eq < n && w[eq] != (byte)'=') eq++;
        byte* value = w + eq + 1;
        int valueLength = eq < n ? n - eq - 1 : 0;
        bool ok = true;
        if (Is(w, eq, "console")) ok = IsConsole(value, valueLength);
        else if (Is(w, eq, "loglvl")) ok = ParseLogLevel(value, valueLength);
        else if (Is(w, eq, "dom0_mem")) ok = ParseKiB(value, valueLength, out Dom0MemoryKiB);
        else if (!IsOneOf(w, eq, Ignored) && !IsOneOf(w, eq, PluginOptionNames.All))
        {
            c.Write("(XEN) parameter \""); Put(c, w, eq); c.WriteLine("\" unknown!");
            return;
        }
        if (ok) return;
        c.Write("(XEN) parameter \""); Put(c, w, eq); c.Write("\" has invalid value \"");
        Put(c, value, valueLength); c.WriteLine("\", rc=-22!");
    }

    // The device-tree UART is the only console; "none" is applied by the image before the banner.
    static bool IsConsole(byte* v, int n) => Is(v, n, "dtuart") || Is(v, n, "none") || Is(v, n, "serial");

    bool ParseLogLevel(byte* v, int n)
    {
        int end = 0;
        while (end < n && v[end] != (byte)'/') end++;
        for (int i = 0; i < LogLevels.Length; i++)
        {
            if (!Is(v, end, LogLevels[i])) continue;
            LogLevel = i;
            return true;
        }
        return false;
    }

    /// <summary>Decimal with an optional B/K/M/G suffix (Xen's parse_size_and_unit; none means KiB), in KiB.</summary>
    static bool ParseKiB(byte* v, int n, out ulong kib)
    {
        kib = 0;
        int i = 0;
        ulong number = 0;
        while (i < n && v[i] >= (byte)'0' && v[i] <= (byte)'9' && number < (1UL << 40)) number = number * 10 + (ulong)(v[i++] - (byte)'0');
        if (i == 0) return false;
        ulong bytesPer = 1024;
        if (i < n)
        {
            switch (v[i] | 0x20)
            {
                case 'b': bytesPer = 1; break;
                case 'k': bytesPer = 1024; break;
                case 'm': bytesPer = 1UL << 20; break;
                case 'g': bytesPer = 1UL << 30; break;
                default: return false;
            }
            i++;
        }
        if (i != n) return false;
        kib = number * bytesPer / 1024;
        return true;
    }

    static bool IsOneOf(byte* w, int n, string[] names)
    {
        for (int k = 0; k < names.Length; k++)
            if (Is(w, n, names[k])) return true;
        return false;
    }

    static bool Is(byte* w, int n, string name)
    {
        if (n != name.Length) return false;
        for (int k = 0; k < n; k++)
            if (w[k] != (byte)name[k]) return false;
        return true;
    }

    static void Put(HvConsole c, byte* s, int n)
    {
        for (int k = 0; k < n; k++) c.Put(s[k]);
    }
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// The hypervisor command line, read once at boot as Xen's cmdline_parse does: space-separated
/// `name` or `name=value` words; an unknown name is reported (`parameter "x" unknown!`) and
/// ignored, a bad value is reported with Xen's wording and the default kept.
/// </summary>
public sealed unsafe class BootOptions
{
    /// <summary>Xen's log levels (loglvl=): messages up to this level are shown.</summary>
    public const int LogNone = 0, LogError = 1, LogWarning = 2, LogInfo = 3, LogDebug = 4, LogAll = 5;

    public int LogLevel = LogWarning;
    /// <summary>dom0_mem= in bytes; 0 = the default.</summary>
    public ulong Dom0Memory;

    // Accepted for compatibility with Xen command lines; nothing here depends on them.
    static readonly string[] Ignored = { "guest_loglvl", "com1", "noreboot", "sync_console", "dom0", "console_timestamps" };

    public static BootOptions Parse(HvConsole c, byte* line, int length)
    {
        var o = new BootOptions();
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
        if (Is(w, eq, "console")) ok = ParseConsole(value, valueLength);
        else if (Is(w, eq, "loglvl")) ok = ParseLogLevel(value, valueLength);
        else if (Is(w, eq, "dom0_mem")) ok = ParseSize(value, valueLength, out Dom0Memory);
        else if (!IsIgnored(w, eq))
        {
            c.Write("(XEN) parameter \"");
            Put(c, w, eq);
            c.WriteLine("\" unknown!");
            return;
        }
        if (ok) return;
        c.Write("(XEN) parameter \"");
        Put(c, w, eq);
        c.Write("\" has invalid value \"");
        Put(c, value, valueLength);
        c.WriteLine("\", rc=-22!");
    }

    // A comma-separated device list. COM1 is our only device; the image applies "none" itself,
    // before the banner, so here the value is only checked.
    static bool ParseConsole(byte* v, int n)
    {
        bool any = false;
        int i = 0;
        while (i < n)
        {
            int start = i;
            while (i < n && v[i] != (byte)',') i++;
            if (Is(v + start, i - start, "com1") || Is(v + start, i - start, "none") || Is(v + start, i - start, "vga")) any = true;
            i++;
        }
        return any;
    }

    // level[/rate-limited level]: only the first part matters here.
    bool ParseLogLevel(byte* v, int n)
    {
        int end = 0;
        while (end < n && v[end] != (byte)'/') end++;
        if (Is(v, end, "none")) LogLevel = LogNone;
        else if (Is(v, end, "error")) LogLevel = LogError;
        else if (Is(v, end, "warning")) LogLevel = LogWarning;
        else if (Is(v, end, "info")) LogLevel = LogInfo;
        else if (Is(v, end, "debug")) LogLevel = LogDebug;
        else if (Is(v, end, "all")) LogLevel = LogAll;
        else return false;
        return true;
    }

    /// <summary>Decimal with an optional B/K/M/G suffix (Xen's parse_size_and_unit; no suffix means KiB).</summary>
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

    static bool IsIgnored(byte* w, int n)
    {
        for (int k = 0; k < Ignored.Length; k++)
            if (Is(w, n, Ignored[k])) return true;
        for (int k = 0; k < PluginOptionNames.All.Length; k++)
            if (Is(w, n, PluginOptionNames.All[k])) return true;
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

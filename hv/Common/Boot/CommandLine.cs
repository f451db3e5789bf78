namespace XenLite.Hv.Common.Boot;

/// <summary>
/// The hypervisor command line, read once at boot as Xen's cmdline_parse does: space-separated
/// `name` or `name=value` words; an unknown name is reported (`parameter "x" unknown!`) and
/// ignored, a bad value is reported with Xen's wording and the default kept. The options every
/// arch shares live here; an arch says which console devices it has and which names it ignores.
/// </summary>
public abstract unsafe class CommandLine
{
    /// <summary>Xen's log levels (loglvl=): messages up to this level are shown.</summary>
    public const int LogNone = 0, LogError = 1, LogWarning = 2, LogInfo = 3, LogDebug = 4, LogAll = 5;

    public int LogLevel = LogWarning;
    /// <summary>dom0_mem= in bytes; 0 = the default.</summary>
    public ulong Dom0Memory;

    /// <summary>Whether console=<paramref name="v"/> names devices this machine has.</summary>
    protected abstract bool IsConsole(byte* v, int n);

    /// <summary>Names accepted for compatibility with Xen command lines that nothing here depends on.</summary>
    protected abstract string[] Ignored();

    protected void Read(HvConsole c, byte* line, int length)
    {
        int i = 0;
        while (i < length)
        {
            while (i < length && line[i] == (byte)' ') i++;
            int start = i;
            while (i < length && line[i] != (byte)' ') i++;
            if (i > start) Word(c, line + start, i - start);
        }
    }

    void Word(HvConsole c, byte* w, int n)
    {
        int eq = 0;
        while (eq < n && w[eq] != (byte)'=') eq++;
        byte* value = w + eq + 1;
        int valueLength = eq < n ? n - eq - 1 : 0;
        bool ok = true;
        if (OptionValue.Is(w, eq, "console")) ok = IsConsole(value, valueLength);
        else if (OptionValue.Is(w, eq, "loglvl")) ok = OptionValue.ParseLogLevel(value, valueLength, ref LogLevel);
        else if (OptionValue.Is(w, eq, "dom0_mem")) ok = OptionValue.ParseSize(value, valueLength, out Dom0Memory);
        else if (!OptionValue.IsOneOf(w, eq, Ignored()) && !OptionValue.IsOneOf(w, eq, PluginOptionNames.All))
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

    static void Put(HvConsole c, byte* s, int n)
    {
        for (int k = 0; k < n; k++) c.Put(s[k]);
    }
}

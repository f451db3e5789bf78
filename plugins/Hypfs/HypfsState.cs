using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;

namespace XenLite.Plugin.Hypfs;

/// <summary>
/// The tree of one hypervisor, as Xen builds it at boot (buildinfo_init, param_init):
///   /buildinfo/changeset, /buildinfo/compileinfo/{compile_by,compile_date,compile_domain,compiler},
///   /buildinfo/version/{extra,major,minor}, and /params/ with the runtime parameters XenLite
///   has: console_timestamps, conswitch, guest_loglvl, loglvl (values from the command line).
/// /buildinfo/config (the gzipped .config, an optional Kconfig in Xen) is not built.
/// </summary>
public sealed unsafe class HypfsState : PluginState
{
    static readonly int Slot = SlotOf(Feature.Hypfs);

    public readonly HypfsDir Root = new HypfsDir("");
    public readonly LogLevelParam LogLevel = new LogLevelParam("loglvl", 3, 3);
    public readonly LogLevelParam GuestLogLevel = new LogLevelParam("guest_loglvl", 0, 2);
    public readonly TimestampsParam Timestamps = new TimestampsParam();
    /// <summary>conswitch: the console-switch character and the auto-switch flag (Xen's char[3]).</summary>
    public readonly StringParam Conswitch = new StringParam("conswitch", "a", 3);

    HypfsState(BuildInfo b)
    {
        var buildinfo = new HypfsDir("buildinfo");
        Root.Add(buildinfo);
        buildinfo.Add(HypfsLeaf.String("changeset", b.Changeset));
        var compileinfo = new HypfsDir("compileinfo");
        buildinfo.Add(compileinfo);
        compileinfo.Add(HypfsLeaf.String("compiler", b.Compiler));
        compileinfo.Add(HypfsLeaf.String("compile_by", b.CompileBy));
        compileinfo.Add(HypfsLeaf.String("compile_date", b.CompileDate));
        compileinfo.Add(HypfsLeaf.String("compile_domain", b.CompileDomain));
        var version = new HypfsDir("version");
        buildinfo.Add(version);
        version.Add(HypfsLeaf.String("extra", b.ExtraVersion));
        version.Add(HypfsLeaf.Uint("major", BuildInfo.Major));
        version.Add(HypfsLeaf.Uint("minor", BuildInfo.Minor));

        var parameters = new HypfsDir("params");
        Root.Add(parameters);
        parameters.Add(LogLevel);
        parameters.Add(GuestLogLevel);
        parameters.Add(Timestamps);
        parameters.Add(Conswitch);
    }

    public static HypfsState Of(Hypervisor hv)
    {
        PluginState s = hv.Plugins[Slot];
        if (s != null) return (HypfsState)s;
        var h = new HypfsState(hv.Build);
        h.ApplyCommandLine(hv.Build.CommandLine);
        hv.Plugins[Slot] = h;
        return h;
    }

    // Xen parses runtime parameters from the command line like any other before hypfs shows them.
    // Reporting bad values is the boot option parser's job, so nothing is printed here.
    void ApplyCommandLine(string line)
    {
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] == ' ') i++;
            int start = i;
            while (i < line.Length && line[i] != ' ') i++;
            if (i > start) Option(line, start, i);
        }
    }

    void Option(string line, int start, int end)
    {
        int eq = start;
        while (eq < end && line[eq] != '=') eq++;
        bool negated = Word(line, start, start + 3, "no-");
        int key = negated ? start + 3 : start;
        int value = eq < end ? eq + 1 : end;
        if (Word(line, key, eq, Conswitch.Name)) Conswitch.SetFromCommandLine(line, value, end);
        else if (Word(line, key, eq, LogLevel.Name)) Custom(LogLevel, line, negated, value, end);
        else if (Word(line, key, eq, GuestLogLevel.Name)) Custom(GuestLogLevel, line, negated, value, end);
        else if (Word(line, key, eq, Timestamps.Name)) Custom(Timestamps, line, negated, value, end);
    }

    // `no-name` means name=no; `no-name=x` is refused without calling the parser (Xen's OPT_CUSTOM).
    static void Custom(CustomParam p, string line, bool negated, int value, int end)
    {
        byte* buf = stackalloc byte[(int)HypfsAbi.MaxParamSize];
        int n = 0;
        if (negated)
        {
            if (value < end) return;
            buf[n++] = (byte)'n';
            buf[n++] = (byte)'o';
        }
        for (int i = value; i < end && n < (int)HypfsAbi.MaxParamSize - 1; i++) buf[n++] = (byte)line[i];
        p.Parse(buf, n);
    }

    static bool Word(string s, int start, int end, string word)
    {
        if (end - start != word.Length || end > s.Length) return false;
        for (int i = 0; i < word.Length; i++)
            if (s[start + i] != word[i]) return false;
        return true;
    }
}

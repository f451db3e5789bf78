using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Plugin.Argo;

/// <summary>
/// The `argo=` boot option (Xen's parse_argo): a comma list of a boolean, which enables Argo,
/// and `[no-]mac-permissive[=bool]`, which allows rings any domain may send to. Both are off
/// by default, as in Xen. A bad element is reported and the others still apply.
/// </summary>
static class ArgoOptions
{
    public static void Read(Hypervisor hv, ArgoState s)
    {
        string line = hv.Build.CommandLine;
        int i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] == ' ') i++;
            int start = i;
            while (i < line.Length && line[i] != ' ') i++;
            if (i > start) Word(hv, s, line, start, i);
        }
    }

    // One `key[=value]` word; `no-argo` means `argo=no` and takes no value (Xen's custom params).
    static void Word(Hypervisor hv, ArgoState s, string line, int start, int end)
    {
        int eq = start;
        while (eq < end && line[eq] != '=') eq++;
        bool negated = Text.Is(line, start, start + 3, "no-");
        if (!Text.Is(line, negated ? start + 3 : start, eq, "argo")) return;
        int value = eq < end ? eq + 1 : end;
        int rc;
        if (!negated) rc = Parse(s, line, value, end);
        else rc = value < end ? -Errno.EINVAL : Parse(s, "no", 0, 2);
        if (rc == 0) return;
        hv.Console.Write("(XEN) parameter \"");
        Text.Put(hv.Console, line, start, eq);
        hv.Console.Write("\" has invalid value \"");
        Text.Put(hv.Console, line, value, end);
        hv.Console.WriteLine("\", rc=-22!");
    }

    static int Parse(ArgoState s, string str, int start, int end)
    {
        int rc = 0;
        int p = start;
        int ss;
        do
        {
            ss = p;
            while (ss < end && str[ss] != ',') ss++;
            int val = Text.ParseBool(str, p, ss);
            if (val >= 0) s.Enabled = val != 0;
            else if ((val = Text.ParseBoolean("mac-permissive", str, p, ss)) >= 0) s.MacPermissive = val != 0;
            else rc = -Errno.EINVAL;
            p = ss + 1;
        } while (ss < end);
        return rc;
    }
}

/// <summary>Xen's parse_bool / parse_boolean over a slice of a string.</summary>
static class Text
{
    public static bool Is(string s, int start, int end, string word)
    {
        if (end - start != word.Length || end > s.Length) return false;
        for (int i = 0; i < word.Length; i++)
            if (s[start + i] != word[i]) return false;
        return true;
    }

    /// <summary>1 for 1/on/yes/true/enable, 0 for 0/no/off/false/disable, else -1.</summary>
    public static int ParseBool(string s, int start, int end)
    {
        if (Is(s, start, end, "1") || Is(s, start, end, "on") || Is(s, start, end, "yes") ||
            Is(s, start, end, "true") || Is(s, start, end, "enable")) return 1;
        if (Is(s, start, end, "0") || Is(s, start, end, "no") || Is(s, start, end, "off") ||
            Is(s, start, end, "false") || Is(s, start, end, "disable")) return 0;
        return -1;
    }

    /// <summary>`name` → 1, `no-name` → 0, `name=bool` → that bool, `name=other` → -2, else -1.</summary>
    public static int ParseBoolean(string name, string s, int start, int end)
    {
        bool negated = end - start >= 3 && Is(s, start, start + 3, "no-");
        if (negated) start += 3;
        if (end - start < name.Length || !Is(s, start, start + name.Length, name)) return -1;
        if (end - start == name.Length) return negated ? 0 : 1;
        if (negated) return -1;
        if (s[start + name.Length] != '=') return -1;
        int b = ParseBool(s, start + name.Length + 1, end);
        return b >= 0 ? b : -2;
    }

    public static void Put(HvConsole c, string s, int start, int end)
    {
        for (int i = start; i < end; i++) c.Put((byte)s[i]);
    }
}

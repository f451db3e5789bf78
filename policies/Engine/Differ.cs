using System;
using System.Collections.Generic;
using System.Linq;

namespace XenLite.Policy;

/// <summary>Every decision that differs between two policies (booleans at their defaults), by type name.</summary>
public static class Differ
{
    public static List<string> Diff(Decider a, Decider b)
    {
        var lines = new List<string>();
        foreach (string t in a.Types.Except(b.Types)) lines.Add($"-type {t}");
        foreach (string t in b.Types.Except(a.Types)) lines.Add($"+type {t}");
        var boolsA = a.BoolNames().Select((n, i) => (n, v: a.Runtime.BoolDefaults[i] != 0)).ToDictionary(x => x.n, x => x.v);
        var boolsB = b.BoolNames().Select((n, i) => (n, v: b.Runtime.BoolDefaults[i] != 0)).ToDictionary(x => x.n, x => x.v);
        foreach (var (n, v) in boolsA) if (!boolsB.TryGetValue(n, out bool w)) lines.Add($"-bool {n}"); else if (v != w) lines.Add($"~bool {n} {v.ToString().ToLowerInvariant()} -> {w.ToString().ToLowerInvariant()}");
        foreach (var n in boolsB.Keys.Except(boolsA.Keys)) lines.Add($"+bool {n}");
        if (a.Runtime.EnforcingDefault != b.Runtime.EnforcingDefault)
            lines.Add($"~enforcing {a.Runtime.EnforcingDefault.ToString().ToLowerInvariant()} -> {b.Runtime.EnforcingDefault.ToString().ToLowerInvariant()}");

        var types = a.Types.Union(b.Types).OrderBy(x => x, StringComparer.Ordinal).ToArray();
        foreach (string s in types)
            foreach (string t in types)
                for (int c = 0; c < Schema.Classes.Length; c++)
                {
                    Bits(a, s, t, c, out uint a1, out uint a2, out uint a3);
                    Bits(b, s, t, c, out uint b1, out uint b2, out uint b3);
                    Emit(lines, "allow", s, t, c, a1, b1);
                    Emit(lines, "auditallow", s, t, c, a2, b2);
                    Emit(lines, "dontaudit", s, t, c, a3, b3);
                }
        return lines;
    }

    static void Bits(Decider d, string s, string t, int c, out uint allowed, out uint auditallow, out uint dontaudit)
    {
        int ss = d.TypeSid(s), ts = d.TypeSid(t);
        if (ss == 0 || ts == 0) { allowed = auditallow = dontaudit = 0; return; }
        d.Runtime.Decide((uint)ss, (uint)ts, c, out allowed, out auditallow, out dontaudit);
    }

    static void Emit(List<string> lines, string kind, string s, string t, int c, uint before, uint after)
    {
        if (before == after) return;
        uint removed = before & ~after, added = after & ~before;
        if (removed != 0) lines.Add($"-{kind} {s} {t}:{Schema.Classes[c]} {{ {string.Join(" ", Schema.Names(c, removed))} }}");
        if (added != 0) lines.Add($"+{kind} {s} {t}:{Schema.Classes[c]} {{ {string.Join(" ", Schema.Names(c, added))} }}");
    }
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace XenLite.Policy;

/// <summary>Which av rules the tests exercised: a rule is covered when a test asked for a decision
/// the rule contributes to (with the booleans of that test).</summary>
public static class Coverage
{
    public static void Record(CompiledPolicy policy, HashSet<int> covered, Decider decider, string s, string t, string cls, string perm)
    {
        foreach (var x in Contributors(policy, decider.CurrentBools(), s, t, cls, perm)) covered.Add(x.Rule.Id);
    }

    /// <summary>The allow/auditallow/dontaudit rules active under these booleans that cover the request.</summary>
    public static IEnumerable<ExpandedRule> Contributors(CompiledPolicy policy, IReadOnlyList<bool> bools, string s, string t, string cls, string perm)
    {
        if (!policy.TypeIndex.TryGetValue(s, out int si) || !policy.TypeIndex.TryGetValue(t, out int ti)) yield break;
        int c = Schema.ClassOf(cls);
        int p = c < 0 ? -1 : Schema.PermOf(c, perm);
        if (p < 0) yield break;
        foreach (var x in policy.Rules)
            if (x.Rule.Kind != RuleKind.NeverAllow && policy.Active(x.Rule, bools) && x.Covers(si, ti, c, 1u << p))
                yield return x;
    }

    /// <summary>Report lines: a summary per policy, then each rule no test exercised.</summary>
    public static List<string> Report(TestRun run)
    {
        var lines = new List<string>();
        foreach (var (path, policy) in run.Policies.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!policy.Ok) continue;
            var rules = policy.Rules.Where(r => r.Rule.Kind != RuleKind.NeverAllow).ToList();
            var covered = run.Covered[path];
            int hit = rules.Count(r => covered.Contains(r.Rule.Id));
            double pct = rules.Count == 0 ? 100 : 100.0 * hit / rules.Count;
            lines.Add($"{Loc.Display(path)}: {hit}/{rules.Count} rules exercised ({pct:0.0}%)");
            foreach (var r in rules.Where(r => !covered.Contains(r.Rule.Id)))
                lines.Add($"  {r.Rule.Origin.At}: not exercised: {r.Rule.Text}");
        }
        return lines;
    }
}

using System.Collections.Generic;
using System.Linq;

namespace XenLite.Policy;

/// <summary>Why a decision is what it is: the rules (with source locations) and booleans behind it.</summary>
public static class Explainer
{
    public static List<string> Explain(CompiledPolicy policy, Decider decider, string s, string t, string cls, string perm)
    {
        var lines = new List<string>();
        if (!decider.Decide(s, t, cls, perm, out bool allowed, out bool auditallow, out bool dontaudit, out string error))
        {
            lines.Add("error: " + error);
            return lines;
        }
        bool[] bools = decider.CurrentBools();
        bool permissive = decider.Runtime.IsPermissive((uint)decider.TypeSid(s));
        lines.Add($"{s} {t}:{cls} {perm}: {(allowed ? "allowed" : "denied")} (auditallow {(auditallow ? 1 : 0)}, dontaudit {(dontaudit ? 1 : 0)})");
        if (!allowed)
        {
            bool audited = !dontaudit;
            lines.Add($"  a denial is {(audited ? "logged" : "not logged (dontaudit)")}; {(permissive ? $"{s} is permissive, so it is not enforced" : "enforced when the policy is enforcing")}");
        }
        else if (auditallow) lines.Add("  the grant is logged (auditallow)");

        var active = Coverage.Contributors(policy, bools, s, t, cls, perm).ToList();
        foreach (var kind in new[] { RuleKind.Allow, RuleKind.AuditAllow, RuleKind.DontAudit })
            foreach (var x in active.Where(r => r.Rule.Kind == kind)) lines.Add("  " + Describe(policy, x, bools));

        // Rules that would change the decision under other boolean values.
        var all = new bool[bools.Length];
        foreach (var x in policy.Rules.Where(r => r.Rule.Kind != RuleKind.NeverAllow && r.Rule.Condition >= 0 && !active.Contains(r)))
            if (Coverage.Contributors(policy, Flip(policy, x), s, t, cls, perm).Contains(x))
                lines.Add("  inactive: " + Describe(policy, x, bools));
        if (!allowed && !active.Any(r => r.Rule.Kind == RuleKind.Allow)) lines.Add("  no allow rule grants it");
        if (bools.Length > 0)
            lines.Add("  booleans: " + string.Join(", ", policy.Bools.Select((b, i) => $"{b}={(bools[i] ? "true" : "false")}")));
        return lines;
    }

    /// <summary>Boolean values under which a conditional rule's branch is taken (tries every assignment; policies have few booleans).</summary>
    static bool[] Flip(CompiledPolicy policy, ExpandedRule x)
    {
        int n = policy.Bools.Length;
        for (int mask = 0; mask < (1 << System.Math.Min(n, 16)); mask++)
        {
            var values = new bool[n];
            for (int i = 0; i < n && i < 16; i++) values[i] = (mask & (1 << i)) != 0;
            if (policy.Active(x.Rule, values)) return values;
        }
        return new bool[n];
    }

    static string Describe(CompiledPolicy policy, ExpandedRule x, bool[] bools)
    {
        string cond = x.Rule.Condition < 0 ? "" : $" [when {policy.Model.Conditions[x.Rule.Condition].Expression} is {(x.Rule.Branch ? "true" : "false")}]";
        string via = x.Rule.Origin.Frames.Length > 1 ? $" (via {string.Join(" <- ", x.Rule.Origin.Frames.Skip(1))})" : "";
        return $"{x.Rule.Origin.Frames.FirstOrDefault()}: {x.Rule.Text}{cond}{via}";
    }
}

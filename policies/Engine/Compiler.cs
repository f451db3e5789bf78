using System;
using System.Collections.Generic;
using System.Linq;
using XenLite.Flask;

namespace XenLite.Policy;

/// <summary>
/// Resolves a policy model against the schema and its own declarations, checks neverallows, and
/// writes the binary table. Every error carries the location of the rule that caused it.
/// </summary>
public static class Compiler
{
    public static CompiledPolicy Compile(string path) => Compile(PolicyLoader.Load(path));

    public static CompiledPolicy Compile(PolicyModel model)
    {
        var cp = new CompiledPolicy { Model = model };
        cp.Diagnostics.AddRange(model.Diagnostics);
        var diags = cp.Diagnostics;

        // Types in declaration order: their index is their SID - 1.
        cp.TypeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var attributes = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        foreach (var a in model.Attributes)
        {
            if (attributes.ContainsKey(a.Name)) diags.Add(new(a.Origin.At, $"attribute '{a.Name}' is declared twice"));
            else attributes[a.Name] = new SortedSet<int>();
        }
        foreach (var t in model.Types)
        {
            if (cp.TypeIndex.ContainsKey(t.Name) || attributes.ContainsKey(t.Name)) diags.Add(new(t.Origin.At, $"'{t.Name}' is declared twice"));
            else cp.TypeIndex[t.Name] = cp.TypeIndex.Count;
        }
        cp.Types = cp.TypeIndex.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        void AddAttr(string type, string attr, Origin origin)
        {
            if (!cp.TypeIndex.TryGetValue(type, out int ti)) diags.Add(new(origin.At, $"unknown type '{type}'"));
            else if (!attributes.TryGetValue(attr, out var set)) diags.Add(new(origin.At, $"unknown attribute '{attr}'"));
            else set.Add(ti);
        }
        foreach (var t in model.Types) foreach (string a in t.Attributes) AddAttr(t.Name, a, t.Origin);
        foreach (var (type, attr, origin) in model.ExtraAttributes) AddAttr(type, attr, origin);
        var sets = new TypeSets(cp.TypeIndex, attributes);

        // Booleans and conditions.
        var boolIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var b in model.Bools)
        {
            if (boolIndex.ContainsKey(b.Name)) diags.Add(new(b.Origin.At, $"boolean '{b.Name}' is declared twice"));
            else boolIndex[b.Name] = boolIndex.Count;
        }
        cp.Bools = model.Bools.Where((b, i) => boolIndex[b.Name] == i).Select(b => b.Name).ToArray();
        cp.BoolDefaults = model.Bools.Where((b, i) => boolIndex[b.Name] == i).Select(b => b.Default).ToArray();
        foreach (var c in model.Conditions)
        {
            uint[] rpn = BoolExpression.Compile(c.Expression, boolIndex, out string error);
            if (error != null) diags.Add(new(c.Origin.At, error));
            cp.Conditions.Add(rpn ?? new uint[] { 0 });
        }

        foreach (var rule in model.Rules) cp.Rules.Add(Expand(rule, sets, diags));

        if (cp.Types.Length == 0 && diags.Count == 0) diags.Add(new(new Loc(model.EntryFile, 1, 1), "the policy declares no types"));
        CheckNeverallows(cp, diags);
        if (diags.Count > 0) return cp;
        cp.Blob = BlobWriter.Write(cp, sets, diags);
        if (diags.Count > 0) cp.Blob = null;
        return cp;
    }

    static ExpandedRule Expand(AvRule rule, TypeSets sets, List<Diagnostic> diags)
    {
        var x = new ExpandedRule { Rule = rule };
        var unknown = new List<string>();
        x.Sources = sets.Expand(rule.Sources, unknown);
        x.Targets = sets.Expand(rule.Targets, unknown);
        foreach (string u in unknown.Distinct()) diags.Add(new(rule.Origin.At, $"unknown type or attribute '{u}'"));
        x.SourceSet = new HashSet<int>(x.Sources);
        x.TargetSet = new HashSet<int>(x.Targets);
        foreach (string cls in rule.Classes)
        {
            int c = Schema.ClassOf(cls);
            if (c < 0) { diags.Add(new(rule.Origin.At, $"unknown class '{cls}'")); continue; }
            uint mask = 0;
            foreach (string perm in rule.Perms)
            {
                if (perm == "*") { mask |= Schema.AllPerms(c); continue; }
                int p = Schema.PermOf(c, perm);
                if (p < 0) diags.Add(new(rule.Origin.At, $"unknown permission '{perm}' in class '{cls}'"));
                else mask |= 1u << p;
            }
            x.Masks[c] = x.Masks.TryGetValue(c, out uint old) ? old | mask : mask;
        }
        return x;
    }

    /// <summary>A neverallow is violated by any allow rule, conditional or not, that grants one of
    /// its permissions on one of its (source, target, class) triples: each such allow is reported.</summary>
    static void CheckNeverallows(CompiledPolicy cp, List<Diagnostic> diags)
    {
        var allows = cp.Rules.Where(r => r.Rule.Kind == RuleKind.Allow).ToList();
        foreach (var never in cp.Rules.Where(r => r.Rule.Kind == RuleKind.NeverAllow))
        {
            foreach (var allow in allows)
            {
                string hit = FirstOverlap(never, allow, cp.Types);
                if (hit != null)
                    diags.Add(new(allow.Rule.Origin.At, $"neverallow violation: {hit} (neverallow at {never.Rule.Origin.At})"));
            }
        }
    }

    static string FirstOverlap(ExpandedRule never, ExpandedRule allow, string[] types)
    {
        foreach (var (c, mask) in never.Masks)
        {
            if (!allow.Masks.TryGetValue(c, out uint granted) || (granted & mask) == 0) continue;
            foreach (int s in allow.Sources)
            {
                if (!never.SourceSet.Contains(s)) continue;
                foreach (int t in allow.Targets)
                    if (never.TargetSet.Contains(t))
                        return $"allow {types[s]} {types[t]}:{Schema.Classes[c]} {{ {string.Join(" ", Schema.Names(c, granted & mask))} }}";
            }
        }
        return null;
    }
}

using System.Collections.Generic;
using XenLite.Flask;

namespace XenLite.Policy;

/// <summary>A rule with its names resolved: the types, classes and per-class permission masks it covers.</summary>
public sealed class ExpandedRule
{
    public AvRule Rule;
    public int[] Sources;
    public int[] Targets;
    public HashSet<int> SourceSet, TargetSet;
    /// <summary>Class index → permission mask.</summary>
    public Dictionary<int, uint> Masks = new();

    public bool Covers(int s, int t, int cls, uint perms) =>
        Masks.TryGetValue(cls, out uint m) && (m & perms) != 0 && SourceSet.Contains(s) && TargetSet.Contains(t);
}

/// <summary>The result of compiling a policy: the blob, the runtime table read back from it (the same
/// code the hypervisor runs answers the toolstack's queries) and the resolved rules for explanations.</summary>
public sealed class CompiledPolicy
{
    public PolicyModel Model;
    public List<Diagnostic> Diagnostics = new();
    public string[] Types;
    public Dictionary<string, int> TypeIndex;
    public string[] Bools;
    public bool[] BoolDefaults;
    public List<uint[]> Conditions = new();
    public List<ExpandedRule> Rules = new();
    public byte[] Blob;

    public bool Ok => Diagnostics.Count == 0 && Blob != null;

    /// <summary>A fresh runtime view of the blob (booleans at their defaults).</summary>
    public FlaskPolicy Load()
    {
        PolicyReader.Read(Blob, out FlaskPolicy p);
        return p;
    }

    public int BoolIndex(string name) => System.Array.IndexOf(Bools, name);

    /// <summary>Whether a condition selects a rule's branch under the given boolean values.</summary>
    public bool Active(AvRule rule, IReadOnlyList<bool> values) =>
        rule.Condition < 0 || BoolExpression.Evaluate(Conditions[rule.Condition], values) == rule.Branch;
}

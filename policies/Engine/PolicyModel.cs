using System.Collections.Generic;

namespace XenLite.Policy;

public enum RuleKind { Allow, AuditAllow, DontAudit, NeverAllow }

/// <summary>One av rule as written: type-set specs and names, resolved by the compiler.</summary>
public sealed class AvRule
{
    public int Id;
    public RuleKind Kind;
    public string[] Sources;
    public string[] Targets;
    public string[] Classes;
    public string[] Perms;
    /// <summary>Index into <see cref="PolicyModel.Conditions"/>, or -1 for an unconditional rule.</summary>
    public int Condition = -1;
    /// <summary>Which branch of the condition the rule is in (true: then, false: else).</summary>
    public bool Branch;
    public Origin Origin;

    public string Text => $"{Kind.ToString().ToLowerInvariant()} {Spec(Sources)} {Spec(Targets)}:{Spec(Classes)} {Spec(Perms)}";

    static string Spec(string[] items) => items.Length == 1 ? items[0] : "{ " + string.Join(" ", items) + " }";
}

public sealed class TransitionRule
{
    public string[] Sources, Targets, Classes;
    public string NewType;
    public Origin Origin;
}

public sealed class Declaration
{
    public string Name;
    public List<string> Attributes = new();
    public Origin Origin;
}

public sealed class BoolDecl
{
    public string Name;
    public bool Default;
    public Origin Origin;
}

public sealed class Condition
{
    public string Expression;
    public Origin Origin;
}

public sealed class ResourceLabel
{
    public uint Kind;
    public ulong Low, High;
    public string Path;
    public string Type;
    public Origin Origin;
}

public sealed class NamedLabel
{
    public string Name, Type;
    public Origin Origin;
}

/// <summary>Everything a policy script declared, in the order it declared it.</summary>
public sealed class PolicyModel
{
    public string EntryFile;
    public readonly List<Declaration> Types = new();
    public readonly List<Declaration> Attributes = new();
    public readonly List<(string Type, string Attribute, Origin Origin)> ExtraAttributes = new();
    public readonly List<AvRule> Rules = new();
    public readonly List<TransitionRule> Transitions = new();
    public readonly List<BoolDecl> Bools = new();
    public readonly List<Condition> Conditions = new();
    public readonly List<(string Type, Origin Origin)> Permissive = new();
    public readonly List<NamedLabel> InitialSids = new();
    public readonly List<NamedLabel> DomainLabels = new();
    public readonly List<ResourceLabel> Resources = new();
    public bool Enforcing = true;
    public readonly List<Diagnostic> Diagnostics = new();
}

using System;
using System.Collections.Generic;
using System.Globalization;
using Jint;
using Jint.Native;
using Jint.Runtime.Modules;
using XenLite.Flask;

namespace XenLite.Policy;

/// <summary>
/// The "xenlite" module policy scripts import: each function records a declaration with the
/// script location that made it. Names are resolved later by the compiler, so declaration order
/// does not matter (as in Xen's .te files); wrong argument shapes are reported where they occur.
/// </summary>
sealed class PolicyApi
{
    public const string ModuleName = "xenlite";

    readonly Engine _engine;
    readonly PolicyModel _model;
    int _condition = -1;
    bool _branch;

    PolicyApi(Engine engine, PolicyModel model)
    {
        _engine = engine;
        _model = model;
    }

    public static void Register(Engine engine, PolicyModel model)
    {
        var api = new PolicyApi(engine, model);
        engine.Modules.Add(ModuleName, b => api.Export(b));
    }

    void Export(ModuleBuilder b)
    {
        b.ExportFunction("attribute", a => Do(() => _model.Attributes.Add(new Declaration { Name = Name(a, 0), Origin = Here() })));
        b.ExportFunction("type", a => Do(() => DeclareType(a)));
        b.ExportFunction("typeAttribute", a => Do(() =>
        {
            var origin = Here();
            string type = Name(a, 0);
            for (int i = 1; i < a.Length; i++) foreach (string attr in Names(a[i])) _model.ExtraAttributes.Add((type, attr, origin));
        }));
        b.ExportFunction("allow", a => Rule(RuleKind.Allow, a));
        b.ExportFunction("auditallow", a => Rule(RuleKind.AuditAllow, a));
        b.ExportFunction("dontaudit", a => Rule(RuleKind.DontAudit, a));
        b.ExportFunction("neverallow", a => Rule(RuleKind.NeverAllow, a));
        b.ExportFunction("bool", a =>
        {
            string name = Name(a, 0);
            Do(() => _model.Bools.Add(new BoolDecl { Name = name, Default = a.Length > 1 && a[1].IsBoolean() && a[1].AsBoolean(), Origin = Here() }));
            return name;
        });
        b.ExportFunction("when", When);
        b.ExportFunction("typeTransition", a => Do(() => _model.Transitions.Add(new TransitionRule
        {
            Sources = Names(Arg(a, 0)), Targets = Names(Arg(a, 1)), Classes = Names(Arg(a, 2)), NewType = Name(a, 3), Origin = Here(),
        })));
        b.ExportFunction("permissive", a => Do(() => { foreach (string t in Names(Arg(a, 0))) _model.Permissive.Add((t, Here())); }));
        b.ExportFunction("enforcing", a => Do(() => _model.Enforcing = Arg(a, 0).IsBoolean() && Arg(a, 0).AsBoolean()));
        b.ExportFunction("sid", a => Do(() => _model.InitialSids.Add(new NamedLabel { Name = Name(a, 0), Type = Name(a, 1), Origin = Here() })));
        b.ExportFunction("label", a => Do(() => _model.DomainLabels.Add(new NamedLabel { Name = Name(a, 0), Type = Name(a, 1), Origin = Here() })));
        b.ExportFunction("irq", a => Do(() => Resource(PolicyFormat.OconIrq, a, ranged: false)));
        b.ExportFunction("ioport", a => Do(() => Resource(PolicyFormat.OconIoport, a, ranged: true)));
        b.ExportFunction("iomem", a => Do(() => Resource(PolicyFormat.OconIomem, a, ranged: true)));
        b.ExportFunction("pcidevice", a => Do(() => Resource(PolicyFormat.OconDevice, a, ranged: false)));
        b.ExportFunction("dtdevice", a => Do(() => _model.Resources.Add(new ResourceLabel
        {
            Kind = PolicyFormat.OconDtree, Path = Name(a, 0), Type = Name(a, 1), Origin = Here(),
        })));
        b.ExportValue("classes", JsValue.FromObject(_engine, Schema.Classes));
    }

    /// <summary>Argument errors are recorded where the call is, and evaluation goes on.</summary>
    JsValue Do(Action action)
    {
        try { action(); }
        catch (PolicyArgumentException e) { _model.Diagnostics.Add(new Diagnostic(Here().At, e.Message)); }
        return JsValue.Undefined;
    }

    Origin Here() => new(Origin.Parse(_engine.Advanced.StackTrace), _model.EntryFile);

    void DeclareType(JsValue[] a)
    {
        var decl = new Declaration { Name = Name(a, 0), Origin = Here() };
        for (int i = 1; i < a.Length; i++) decl.Attributes.AddRange(Names(a[i]));
        _model.Types.Add(decl);
    }

    JsValue Rule(RuleKind kind, JsValue[] a) => Do(() =>
    {
        if (a.Length != 4) throw new PolicyArgumentException($"{kind.ToString().ToLowerInvariant()} takes (sources, targets, classes, permissions)");
        if (kind == RuleKind.NeverAllow && _condition >= 0) throw new PolicyArgumentException("neverallow cannot be conditional");
        _model.Rules.Add(new AvRule
        {
            Id = _model.Rules.Count, Kind = kind, Sources = Names(a[0]), Targets = Names(a[1]), Classes = Names(a[2]), Perms = Names(a[3]),
            Condition = _condition, Branch = _branch, Origin = Here(),
        });
    });

    /// <summary>when(expression, then, else?): rules made while calling then/else depend on the booleans.</summary>
    JsValue When(JsValue[] a)
    {
        if (_condition >= 0) return Do(() => throw new PolicyArgumentException("when() cannot be nested"));
        if (a.Length < 2 || !a[0].IsString()) return Do(() => throw new PolicyArgumentException("when takes (expression, then[, else])"));
        _model.Conditions.Add(new Condition { Expression = a[0].AsString(), Origin = Here() });
        int index = _model.Conditions.Count - 1;
        try
        {
            _condition = index;
            _branch = true;
            _engine.Invoke(a[1]);
            if (a.Length > 2 && !a[2].IsUndefined())
            {
                _branch = false;
                _engine.Invoke(a[2]);
            }
        }
        finally
        {
            _condition = -1;
        }
        return JsValue.Undefined;
    }

    void Resource(uint kind, JsValue[] a, bool ranged)
    {
        var label = new ResourceLabel { Kind = kind, Origin = Here() };
        label.Low = Number(Arg(a, 0));
        if (ranged && a.Length == 3)
        {
            label.High = Number(a[1]);
            label.Type = Name(a, 2);
        }
        else
        {
            label.High = label.Low;
            label.Type = Name(a, 1);
        }
        if (label.High < label.Low) throw new PolicyArgumentException("range ends before it starts");
        _model.Resources.Add(label);
    }

    static ulong Number(JsValue v)
    {
        if (v.IsNumber() && v.AsNumber() >= 0 && v.AsNumber() == Math.Floor(v.AsNumber())) return (ulong)v.AsNumber();
        if (v.IsString())
        {
            string s = v.AsString();
            bool hex = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            if (ulong.TryParse(hex ? s[2..] : s, hex ? NumberStyles.HexNumber : NumberStyles.None, CultureInfo.InvariantCulture, out ulong n)) return n;
        }
        throw new PolicyArgumentException($"expected a non-negative integer, got {v}");
    }

    static JsValue Arg(JsValue[] a, int i) => i < a.Length ? a[i] : JsValue.Undefined;

    static string Name(JsValue[] a, int i)
    {
        JsValue v = Arg(a, i);
        if (!v.IsString() || v.AsString().Length == 0) throw new PolicyArgumentException($"argument {i + 1} must be a name");
        return v.AsString();
    }

    /// <summary>A name or an array of names (nested arrays are flattened).</summary>
    static string[] Names(JsValue v)
    {
        var names = new List<string>();
        Collect(v, names);
        if (names.Count == 0) throw new PolicyArgumentException("expected a name or a non-empty array of names");
        return names.ToArray();
    }

    static void Collect(JsValue v, List<string> names)
    {
        if (v.IsString()) { names.Add(v.AsString()); return; }
        if (v.IsArray())
        {
            var arr = v.AsArray();
            for (uint i = 0; i < arr.Length; i++) Collect(arr[i], names);
            return;
        }
        throw new PolicyArgumentException($"expected a name or an array of names, got {v}");
    }
}

sealed class PolicyArgumentException(string message) : Exception(message);

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using XenLite.Flask;

namespace XenLite.Policy;

/// <summary>Name-based decisions over a compiled table, answered by the Flask runtime code itself
/// (<see cref="FlaskPolicy.Decide"/>), so the toolstack and the hypervisor cannot disagree.</summary>
public sealed class Decider
{
    public readonly FlaskPolicy Runtime;
    public readonly CompiledPolicy Source;
    public readonly string[] Types;

    public Decider(FlaskPolicy runtime, CompiledPolicy source = null)
    {
        Runtime = runtime;
        Source = source;
        Types = new string[runtime.TypeCount];
        for (uint i = 0; i < Types.Length; i++) Types[i] = Encoding.UTF8.GetString(runtime.TypeName(i + 1));
    }

    /// <summary>A policy script (compiled now) or a compiled blob; null with diagnostics on failure.</summary>
    public static Decider Open(string path, List<Diagnostic> diags)
    {
        if (path.EndsWith(".js", StringComparison.Ordinal))
        {
            CompiledPolicy cp = Compiler.Compile(path);
            diags.AddRange(cp.Diagnostics);
            return cp.Ok ? new Decider(cp.Load(), cp) : null;
        }
        var at = new Loc(Path.GetFullPath(path), 1, 1);
        if (!File.Exists(path)) { diags.Add(new(at, "no such file")); return null; }
        int rc = PolicyReader.Read(File.ReadAllBytes(path), out FlaskPolicy p);
        if (rc != 0) { diags.Add(new(at, $"not a valid compiled policy (error {rc})")); return null; }
        return new Decider(p);
    }

    public int TypeSid(string name)
    {
        int i = Array.IndexOf(Types, name);
        return i < 0 ? 0 : i + 1;
    }

    public IEnumerable<string> BoolNames()
    {
        for (int i = 0; i < Runtime.BoolCount; i++) yield return Encoding.UTF8.GetString(Runtime.BoolName(i));
    }

    /// <summary>Sets booleans (name → value) on top of the defaults and commits them; returns the unknown names.</summary>
    public List<string> SetBools(IReadOnlyDictionary<string, bool> values)
    {
        var unknown = new List<string>();
        for (int i = 0; i < Runtime.BoolCount; i++) Runtime.BoolPending[i] = Runtime.BoolDefaults[i];
        foreach (var (name, value) in values)
        {
            int i = Runtime.BoolIndex(Encoding.UTF8.GetBytes(name));
            if (i < 0) unknown.Add(name);
            else Runtime.BoolPending[i] = value ? (byte)1 : (byte)0;
        }
        Runtime.CommitBooleans();
        return unknown;
    }

    public bool[] CurrentBools()
    {
        var values = new bool[Runtime.BoolCount];
        for (int i = 0; i < values.Length; i++) values[i] = Runtime.BoolValues[i] != 0;
        return values;
    }

    /// <summary>The decision for names; error is set when a name is unknown.</summary>
    public bool Decide(string s, string t, string cls, string perm, out bool allowed, out bool auditallow, out bool dontaudit, out string error)
    {
        allowed = auditallow = dontaudit = false;
        int c = Schema.ClassOf(cls);
        int ss = TypeSid(s), ts = TypeSid(t);
        int p = c < 0 ? -1 : Schema.PermOf(c, perm);
        error = ss == 0 ? $"unknown type '{s}'" : ts == 0 ? $"unknown type '{t}'" : c < 0 ? $"unknown class '{cls}'"
            : p < 0 ? $"unknown permission '{perm}' in class '{cls}'" : null;
        if (error != null) return false;
        Runtime.Decide((uint)ss, (uint)ts, c, out uint a, out uint aa, out uint da);
        uint bit = 1u << p;
        allowed = (a & bit) != 0;
        auditallow = (aa & bit) != 0;
        dontaudit = (da & bit) != 0;
        return true;
    }
}

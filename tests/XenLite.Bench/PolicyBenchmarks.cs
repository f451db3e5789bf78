using System;
using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;
using XenLite.Flask;
using XenLite.Policy;

namespace XenLite.Bench;

/// <summary>Flask decision lookup (the table read every XSM hook does) on the default policy.</summary>
[MemoryDiagnoser]
public class PolicyLookupBenchmarks
{
    FlaskPolicy _policy;
    uint _domU, _dom0, _xen;

    [GlobalSetup]
    public void Setup()
    {
        CompiledPolicy cp = Compiler.Compile(PolicySources.Shipped("default.js"));
        PolicyReader.Read(cp.Blob, out _policy);
        _domU = _policy.TypeSid("domU_t"u8);
        _dom0 = _policy.TypeSid("dom0_t"u8);
        _xen = _policy.TypeSid("xen_t"u8);
    }

    [Benchmark(Description = "Decide (dom0_t, domU_t, domain)")]
    public uint Decide()
    {
        _policy.Decide(_dom0, _domU, FlaskSchema.ClassDomain, out uint allowed, out _, out _);
        return allowed;
    }

    [Benchmark(Description = "Decide, 13 classes × 2 pairs")]
    public uint DecideSweep()
    {
        uint acc = 0;
        for (int c = 0; c < FlaskSchema.ClassCount; c++)
        {
            _policy.Decide(_dom0, _domU, c, out uint a, out _, out _);
            _policy.Decide(_domU, _xen, c, out uint b, out _, out _);
            acc ^= a ^ b;
        }
        return acc;
    }

    [Benchmark(Description = "CommitBooleans (rebuild the effective table)")]
    public void Commit() => _policy.CommitBooleans();
}

/// <summary>Compile time and compiled size for generated policies of 1k and 10k allow rules.</summary>
public class PolicyCompileBenchmarks
{
    [Params(1_000, 10_000)]
    public int Rules;

    string _file;

    [GlobalSetup]
    public void Setup() => _file = PolicySources.Generate(Rules);

    [Benchmark(Description = "evaluate + compile")]
    public int Compile() => Compiler.Compile(_file).Blob.Length;
}

static class PolicySources
{
    public static string Shipped(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "XenLite.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? ".", "policies", name);
    }

    /// <summary>A policy of 200 types and <paramref name="rules"/> allow rules, each one (source,
    /// target, class) with 1–4 permissions, chosen by a fixed-seed generator so runs compare.</summary>
    public static string Generate(int rules, int types = 200)
    {
        var rng = new Random(rules);
        var js = new StringBuilder("import { type, allow, sid } from \"xenlite\";\n");
        for (int i = 0; i < types; i++) js.Append($"type(\"t{i}_t\");\n");
        js.Append("sid(\"unlabeled\", \"t0_t\");\n");
        for (int r = 0; r < rules; r++)
        {
            int c = rng.Next(FlaskSchema.ClassCount);
            var perms = Schema.PermsOf(c);
            js.Append($"allow(\"t{rng.Next(types)}_t\", \"t{rng.Next(types)}_t\", \"{Schema.Classes[c]}\", [");
            int n = 1 + rng.Next(4);
            for (int p = 0; p < n; p++) js.Append($"\"{perms[rng.Next(perms.Count)]}\",");
            js.Append("]);\n");
        }
        string dir = Path.Combine(Path.GetTempPath(), "xenlite-bench-policy");
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, $"gen{rules}.js");
        File.WriteAllText(file, js.ToString());
        return file;
    }
}

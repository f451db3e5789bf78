using System;
using System.Collections.Generic;
using System.IO;
using XenLite.Policy;

namespace XenLite.Policy.Tests;

/// <summary>The repository's shipped policies, and scratch policies written for one test.</summary>
public static class PolicyFiles
{
    public static readonly string Root = FindRoot();
    public static string Shipped(string name) => Path.Combine(Root, "policies", name);

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "XenLite.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("XenLite.sln not found");
    }

    /// <summary>A fresh directory holding the given files (name → text).</summary>
    public static string Scratch(params (string Name, string Text)[] files)
    {
        string dir = Path.Combine(Path.GetTempPath(), "xenlite-policy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var (name, text) in files)
        {
            string path = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            File.WriteAllText(path, text);
        }
        return dir;
    }

    /// <summary>A minimal valid policy header: two domain types, an event type and the unlabeled SID.</summary>
    public const string Prelude =
        "import { attribute, type, allow, auditallow, dontaudit, neverallow, bool, when, sid, typeTransition, permissive, label, iomem, ioport, irq, pcidevice } from \"xenlite\";\n" +
        "attribute(\"domain_type\");\n" +
        "type(\"xen_t\");\n" +
        "type(\"dom0_t\", \"domain_type\");\n" +
        "type(\"domU_t\", \"domain_type\");\n" +
        "type(\"unlabeled_t\");\n" +
        "sid(\"unlabeled\", \"unlabeled_t\");\n" +
        "sid(\"xen\", \"xen_t\");\n" +
        "sid(\"dom0\", \"dom0_t\");\n";

    /// <summary>Runs `xenlite policy …` in-process: exit status, stdout, stderr.</summary>
    public static (int Code, string Out, string Err) Cli(string stdin, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = PolicyCommand.Run(args, new StringReader(stdin ?? ""), o, e);
        return (code, o.ToString(), e.ToString());
    }

    public static CompiledPolicy Compile(string body) =>
        Compiler.Compile(Path.Combine(Scratch(("p.js", Prelude + body)), "p.js"));
}

using System;
using System.Collections.Generic;
using System.IO;

namespace XenLite.Policy;

/// <summary>`xenlite policy …`: the toolstack's policy commands. Errors are printed as
/// file:line:col: message; the exit status is 0 on success, 1 on failure, 2 on bad usage.</summary>
public static class PolicyCommand
{
    public const int Ok = 0, Failed = 1, Usage = 2;

    public const string UsageText =
        "usage: xenlite policy <command> …\n" +
        "  check <policy.js>…                         evaluate and validate; errors as file:line:col: message\n" +
        "  compile <policy.js> -o <out.bin>            write the compiled table\n" +
        "  test <dir|file.test.js>…                    run policy unit tests (*.test.js)\n" +
        "  explain <policy> <subject> <object> <class> <perm> [--set bool=value]…\n" +
        "                                              the decision and the rules and booleans behind it\n" +
        "  diff <a> <b>                                every decision that differs (+ in b, - only in a)\n" +
        "  coverage <dir|file.test.js>…                which rules the tests exercised\n" +
        "  query <policy> [file] [--set bool=value]…   lines 'subject object class perm' from file or stdin →\n" +
        "                                              subject object class perm allow|deny auditallow dontaudit\n" +
        "  load <policy> --to <socket|pty> [--timeout s]  send it to a running image's dom0 policy agent (FLASK_LOAD)\n" +
        "  (<policy> is a policy script .js or a compiled blob)\n";

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length < 1) return UsageError(stderr, null);
        string[] rest = args[1..];
        try
        {
            return args[0] switch
            {
                "check" => Check(rest, stdout, stderr),
                "compile" => CompileCmd(rest, stdout, stderr),
                "test" => Test(rest, stdout, stderr, coverage: false),
                "coverage" => Test(rest, stdout, stderr, coverage: true),
                "explain" => ExplainCmd(rest, stdout, stderr),
                "diff" => DiffCmd(rest, stdout, stderr),
                "query" => QueryCmd(rest, stdin, stdout, stderr),
                "load" => PolicyLoadCommand.Run(rest, stdout, stderr),
                "help" or "--help" or "-h" => UsageError(stderr, null),
                _ => UsageError(stderr, $"unknown policy command '{args[0]}'"),
            };
        }
        catch (IOException e)
        {
            stderr.Write($"xenlite policy: {e.Message}\n");
            return Failed;
        }
    }

    static int Check(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0) return UsageError(stderr, "check needs a policy script");
        int status = Ok;
        foreach (string path in args)
        {
            CompiledPolicy cp = Compiler.Compile(path);
            if (Report(cp.Diagnostics, stderr)) status = Failed;
            else stdout.Write($"{Loc.Display(Path.GetFullPath(path))}: ok ({cp.Types.Length} types, {cp.Rules.Count} rules, {cp.Blob.Length} bytes compiled)\n");
        }
        return status;
    }

    static int CompileCmd(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string input = null, output = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "-o" && i + 1 < args.Length) output = args[++i];
            else if (input == null && !args[i].StartsWith('-')) input = args[i];
            else return UsageError(stderr, $"compile: unexpected '{args[i]}'");
        }
        if (input == null || output == null) return UsageError(stderr, "compile needs <policy.js> -o <out>");
        CompiledPolicy cp = Compiler.Compile(input);
        if (Report(cp.Diagnostics, stderr)) return Failed;
        File.WriteAllBytes(output, cp.Blob);
        stdout.Write($"{output}: {cp.Blob.Length} bytes\n");
        return Ok;
    }

    static int Test(string[] args, TextWriter stdout, TextWriter stderr, bool coverage)
    {
        if (args.Length == 0) return UsageError(stderr, $"{(coverage ? "coverage" : "test")} needs a directory or test file");
        int passed = 0, failed = 0;
        bool errors = false;
        foreach (string path in args)
        {
            TestRun run = PolicyTester.Run(path);
            passed += run.Passed;
            failed += run.Failed;
            errors |= Report(run.Errors, stderr);
            foreach (var f in run.Failures) stderr.Write(f + "\n");
            if (coverage) foreach (string line in Coverage.Report(run)) stdout.Write(line + "\n");
        }
        stdout.Write($"{passed} passed, {failed} failed\n");
        return failed == 0 && !errors ? Ok : Failed;
    }

    static int ExplainCmd(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var positional = new List<string>();
        var bools = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (!ParseSets(args, positional, bools, stderr, out int status)) return status;
        if (positional.Count != 5) return UsageError(stderr, "explain needs <policy.js> <subject> <object> <class> <perm>");
        var diags = new List<Diagnostic>();
        if (!positional[0].EndsWith(".js", StringComparison.Ordinal)) return UsageError(stderr, "explain needs the policy script (it reads the rules)");
        Decider d = Decider.Open(positional[0], diags);
        if (Report(diags, stderr)) return Failed;
        if (!ApplyBools(d, bools, stderr)) return Failed;
        List<string> lines = Explainer.Explain(d.Source, d, positional[1], positional[2], positional[3], positional[4]);
        foreach (string line in lines) stdout.Write(line + "\n");
        return lines.Count > 0 && lines[0].StartsWith("error:", StringComparison.Ordinal) ? Failed : Ok;
    }

    static int DiffCmd(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 2) return UsageError(stderr, "diff needs <a> <b>");
        var diags = new List<Diagnostic>();
        Decider a = Decider.Open(args[0], diags), b = Decider.Open(args[1], diags);
        if (Report(diags, stderr)) return Failed;
        List<string> lines = Differ.Diff(a, b);
        foreach (string line in lines) stdout.Write(line + "\n");
        stdout.Write($"{lines.Count} difference{(lines.Count == 1 ? "" : "s")}\n");
        return Ok;
    }

    static int QueryCmd(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var positional = new List<string>();
        var bools = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (!ParseSets(args, positional, bools, stderr, out int status)) return status;
        if (positional.Count is < 1 or > 2) return UsageError(stderr, "query needs <policy> [file]");
        var diags = new List<Diagnostic>();
        Decider d = Decider.Open(positional[0], diags);
        if (Report(diags, stderr)) return Failed;
        if (!ApplyBools(d, bools, stderr)) return Failed;
        int errors;
        if (positional.Count == 2)
        {
            using var reader = new StreamReader(positional[1]);
            errors = Query.Run(d, reader, positional[1], stdout, stderr);
        }
        else errors = Query.Run(d, stdin, "<stdin>", stdout, stderr);
        return errors == 0 ? Ok : Failed;
    }

    static bool ParseSets(string[] args, List<string> positional, Dictionary<string, bool> bools, TextWriter stderr, out int status)
    {
        status = Ok;
        for (int i = 0; i < args.Length; i++)
        {
            string set = args[i] == "--set" && i + 1 < args.Length ? args[++i] : args[i].StartsWith("--set=", StringComparison.Ordinal) ? args[i][6..] : null;
            if (set == null && args[i].StartsWith("--", StringComparison.Ordinal)) { status = UsageError(stderr, $"unknown option '{args[i]}'"); return false; }
            if (set == null) { positional.Add(args[i]); continue; }
            int eq = set.IndexOf('=');
            string value = eq < 0 ? "" : set[(eq + 1)..];
            bool? v = value switch { "true" or "1" or "on" => true, "false" or "0" or "off" => false, _ => null };
            if (eq <= 0 || v == null) { status = UsageError(stderr, $"--set expects bool=true|false, got '{set}'"); return false; }
            bools[set[..eq]] = v.Value;
        }
        return true;
    }

    static bool ApplyBools(Decider d, Dictionary<string, bool> bools, TextWriter stderr)
    {
        List<string> unknown = d.SetBools(bools);
        foreach (string u in unknown) stderr.Write($"xenlite policy: unknown boolean '{u}'\n");
        return unknown.Count == 0;
    }

    /// <summary>Prints diagnostics; true when there were any.</summary>
    static bool Report(List<Diagnostic> diags, TextWriter stderr)
    {
        foreach (var d in diags) stderr.Write(d + "\n");
        return diags.Count > 0;
    }

    static int UsageError(TextWriter stderr, string message)
    {
        if (message != null) stderr.Write($"xenlite policy: {message}\n");
        stderr.Write(UsageText);
        return Usage;
    }
}

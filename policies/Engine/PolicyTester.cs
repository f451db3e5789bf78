using System;
using System.Collections.Generic;
using System.IO;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime.Modules;

namespace XenLite.Policy;

public sealed record TestFailure(Loc At, string Test, string Message)
{
    public override string ToString() => $"{At}: {Test}: {Message}";
}

/// <summary>The outcome of running policy tests: counts, failures, and the rules the tests exercised (coverage).</summary>
public sealed class TestRun
{
    public int Passed, Failed;
    public readonly List<TestFailure> Failures = new();
    public readonly List<Diagnostic> Errors = new();
    /// <summary>Compiled policies by full path, and per policy the ids of rules a test decision used.</summary>
    public readonly Dictionary<string, CompiledPolicy> Policies = new(StringComparer.Ordinal);
    public readonly Dictionary<string, HashSet<int>> Covered = new(StringComparer.Ordinal);
}

/// <summary>
/// Runs policy unit tests: files named *.test.js, evaluated in the sandbox with the "xenlite/test"
/// module. A test file names its policy with policy("./default.js"), then
/// test("name", t => …) or test("name", { bools: { b: false } }, …) calls expectAllow/expectDeny/
/// expectAuditallow/expectDontaudit(subject, object, class, permission).
/// </summary>
public static class PolicyTester
{
    public const string ModuleName = "xenlite/test";

    public static IEnumerable<string> FindTests(string path)
    {
        if (File.Exists(path)) return new[] { Path.GetFullPath(path) };
        if (!Directory.Exists(path)) return Array.Empty<string>();
        var files = new List<string>(Directory.GetFiles(Path.GetFullPath(path), "*.test.js", SearchOption.AllDirectories));
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    public static TestRun Run(string path)
    {
        var run = new TestRun();
        var files = FindTests(path);
        foreach (string file in files) RunFile(file, run);
        if (run.Passed + run.Failed == 0 && run.Errors.Count == 0)
            run.Errors.Add(new Diagnostic(new Loc(Path.GetFullPath(path), 1, 1), "no policy tests found (files named *.test.js)"));
        return run;
    }

    static void RunFile(string file, TestRun run)
    {
        var model = new PolicyModel { EntryFile = file };
        Engine engine = Sandbox.Create(Path.GetDirectoryName(file));
        var state = new FileState(engine, file, run);
        engine.Modules.Add(ModuleName, b => state.Export(b));
        PolicyLoader.Run(engine, "./" + Path.GetFileName(file), file, model);
        run.Errors.AddRange(model.Diagnostics);
    }

    sealed class FileState(Engine engine, string file, TestRun run)
    {
        CompiledPolicy _policy;
        Decider _decider;
        string _policyPath;
        string _test;
        bool _failed;

        public void Export(ModuleBuilder b)
        {
            b.ExportFunction("policy", a => { UsePolicy(a); return JsValue.Undefined; });
            b.ExportFunction("test", a => { Test(a); return JsValue.Undefined; });
            b.ExportFunction("expectAllow", a => Expect(a, "allow"));
            b.ExportFunction("expectDeny", a => Expect(a, "deny"));
            b.ExportFunction("expectAuditallow", a => Expect(a, "auditallow"));
            b.ExportFunction("expectDontaudit", a => Expect(a, "dontaudit"));
        }

        Loc Here()
        {
            Loc[] frames = Origin.Parse(engine.Advanced.StackTrace);
            foreach (Loc f in frames) if (f.File == file) return f;
            return frames.Length > 0 ? frames[0] : new Loc(file, 1, 1);
        }

        void UsePolicy(JsValue[] a)
        {
            if (a.Length < 1 || !a[0].IsString()) { run.Errors.Add(new(Here(), "policy() takes the policy script's path")); return; }
            _policyPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file), a[0].AsString()));
            if (!run.Policies.TryGetValue(_policyPath, out _policy))
            {
                _policy = Compiler.Compile(_policyPath);
                run.Policies[_policyPath] = _policy;
                run.Covered[_policyPath] = new HashSet<int>();
                run.Errors.AddRange(_policy.Diagnostics);
            }
            _decider = _policy.Ok ? new Decider(_policy.Load(), _policy) : null;
        }

        void Test(JsValue[] a)
        {
            if (a.Length < 2 || !a[0].IsString()) { run.Errors.Add(new(Here(), "test() takes (name, [options,] function)")); return; }
            _test = a[0].AsString();
            _failed = false;
            var bools = new Dictionary<string, bool>(StringComparer.Ordinal);
            JsValue fn = a[^1];
            if (a.Length > 2 && a[1].IsObject())
            {
                JsValue b = a[1].AsObject().Get("bools");
                if (b.IsObject())
                    foreach (var (key, desc) in b.AsObject().GetOwnProperties())
                        bools[key.ToString()] = desc.Value.IsBoolean() && desc.Value.AsBoolean();
            }
            if (_decider == null)
            {
                Fail(Here(), _policy == null ? "no policy: call policy(\"./x.js\") first" : "the policy does not compile");
            }
            else
            {
                foreach (string unknown in _decider.SetBools(bools)) Fail(Here(), $"unknown boolean '{unknown}'");
                engine.Invoke(fn);
            }
            if (_failed) run.Failed++; else run.Passed++;
            _test = null;
        }

        JsValue Expect(JsValue[] a, string what)
        {
            Loc at = Here();
            if (_test == null) { run.Errors.Add(new(at, $"expect{what} outside test()")); return JsValue.Undefined; }
            if (_decider == null) return JsValue.Undefined;
            if (a.Length != 4 || Array.Exists(a, v => !v.IsString())) { Fail(at, "expects (subject, object, class, permission)"); return JsValue.Undefined; }
            string s = a[0].AsString(), t = a[1].AsString(), c = a[2].AsString(), p = a[3].AsString();
            if (!_decider.Decide(s, t, c, p, out bool allowed, out bool auditallow, out bool dontaudit, out string error))
            {
                Fail(at, error);
                return JsValue.Undefined;
            }
            Coverage.Record(_policy, run.Covered[_policyPath], _decider, s, t, c, p);
            bool ok = what switch
            {
                "allow" => allowed,
                "deny" => !allowed,
                "auditallow" => auditallow,
                _ => dontaudit,
            };
            if (!ok)
            {
                string got = $"{(allowed ? "allowed" : "denied")}, auditallow {(auditallow ? 1 : 0)}, dontaudit {(dontaudit ? 1 : 0)}";
                Fail(at, $"expected {what} {s} {t}:{c} {p}, got {got}");
            }
            return JsValue.Undefined;
        }

        void Fail(Loc at, string message)
        {
            _failed = true;
            run.Failures.Add(new TestFailure(at, _test ?? "", message));
        }
    }
}

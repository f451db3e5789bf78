using System.Diagnostics;
using System.IO;
using NUnit.Framework;
using static XenLite.Policy.Tests.PolicyFiles;

namespace XenLite.Policy.Tests;

/// <summary>Jint runs in the NativeAOT-published toolstack: the policy commands work in images/out/xenlite.</summary>
[Category("policy")]
public class PublishedCliTests
{
    static (int Code, string Out, string Err) Run(string stdin, params string[] args)
    {
        string exe = Path.Combine(Root, "images", "out", "xenlite");
        if (!File.Exists(exe)) Assert.Ignore("images/out/xenlite is not built (./build.sh cli)");
        var psi = new ProcessStartInfo(exe) { WorkingDirectory = Root, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi);
        p.StandardInput.Write(stdin ?? "");
        p.StandardInput.Close();
        string output = p.StandardOutput.ReadToEnd(), err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err);
    }

    [Test]
    public void PolicyTestsPassInThePublishedBinary()
    {
        var (code, output, err) = Run(null, "policy", "test", "policies/");
        Assert.That(err, Is.Empty);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.EndWith(" passed, 0 failed\n"));
    }

    [Test]
    public void CheckReportsErrorsWithLocationsInThePublishedBinary()
    {
        string dir = Scratch(("syntax.js", "import { allow } from \"xenlite\";\nallow(\"a\" \"b\");\n"),
            ("perm.js", Prelude + "allow(\"dom0_t\", \"domU_t\", \"domain\", \"fly\");\n"),
            ("never.js", Prelude + "neverallow(\"domU_t\", \"xen_t\", \"xen\", \"kexec\");\nallow(\"domain_type\", \"xen_t\", \"xen\", \"kexec\");\n"));
        var (code, _, err) = Run(null, "policy", "check", Path.Combine(dir, "syntax.js"), Path.Combine(dir, "perm.js"), Path.Combine(dir, "never.js"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Does.Contain("syntax.js:2:11: syntax error: Unexpected string"));
        Assert.That(err, Does.Contain("perm.js:10:1: unknown permission 'fly' in class 'domain'"));
        Assert.That(err, Does.Contain("never.js:11:1: neverallow violation: allow domU_t xen_t:xen { kexec }"));
    }

    [Test]
    public void QueryAndExplainInThePublishedBinary()
    {
        var q = Run("domU_t xen_t xen writeconsole\n", "policy", "query", "policies/default.js", "--set", "guest_writeconsole=false");
        Assert.That(q.Out, Is.EqualTo("domU_t\txen_t\txen\twriteconsole\tdeny\t0\t1\n"));
        var e = Run(null, "policy", "explain", "policies/default.js", "dom0_t", "domU_t", "domain", "create");
        Assert.That(e.Out, Does.StartWith("dom0_t domU_t:domain create: allowed"));
    }
}

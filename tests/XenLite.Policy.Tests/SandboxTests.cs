using System.IO;
using NUnit.Framework;
using static XenLite.Policy.Tests.PolicyFiles;

namespace XenLite.Policy.Tests;

[Category("policy")]
public class SandboxTests
{
    static string Check(string body)
    {
        string file = Path.Combine(Scratch(("p.js", Prelude + body)), "p.js");
        var (code, _, err) = Cli(null, "check", file);
        Assert.That(code, Is.EqualTo(1));
        return err;
    }

    [Test]
    public void EndlessLoopHitsTheStatementLimit() =>
        Assert.That(Check("for (;;) {}\n"), Does.Contain("statement limit exceeded"));

    [Test]
    public void DeepRecursionHitsTheRecursionLimit() =>
        Assert.That(Check("function f(n) { return f(n + 1); }\nf(0);\n"), Does.Contain("recursion limit exceeded"));

    [Test]
    public void NoClrAccess() =>
        Assert.That(Check("System.IO.File.Delete(\"/tmp/x\");\n"), Does.Contain("System is not defined"));

    [Test]
    public void NoStringCompilation() =>
        Assert.That(Check("eval(\"1\");\n"), Does.Contain(":10:"));

    [Test]
    public void StrictModeRejectsSloppyCode() =>
        Assert.That(Check("undeclared = 1;\n"), Does.Contain("undeclared is not defined"));

    [Test]
    public void ModulesOutsideThePolicyDirectoryAreRefused() =>
        Assert.That(Check("import \"../../etc/passwd.js\";\n"), Is.Not.Empty);

    [Test]
    public void ThrownErrorsAreLocated() =>
        Assert.That(Check("\nthrow new Error(\"boom\");\n"), Does.Contain("p.js:11:").And.Contain("boom"));
}

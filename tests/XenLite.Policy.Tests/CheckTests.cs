using System.IO;
using NUnit.Framework;
using static XenLite.Policy.Tests.PolicyFiles;

namespace XenLite.Policy.Tests;

[Category("policy")]
public class CheckTests
{
    static (int Code, string Out, string Err) CheckBody(string body, out string file)
    {
        file = Path.Combine(Scratch(("p.js", Prelude + body)), "p.js");
        return Cli(null, "check", file);
    }

    [Test]
    public void ShippedPoliciesCheckClean()
    {
        var (code, output, err) = Cli(null, "check", Shipped("default.js"), Shipped("edge.js"));
        Assert.That(err, Is.Empty);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("default.js: ok (32 types"));
    }

    [Test]
    public void SyntaxErrorIsReportedAtItsPosition()
    {
        var (code, _, err) = CheckBody("allow(\"dom0_t\", \"domU_t\" \"domain\", \"pause\");\n", out string file);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Is.EqualTo($"{file}:10:26: syntax error: Unexpected string\n"));
    }

    [Test]
    public void UnknownPermissionIsReportedAtTheRule()
    {
        var (code, _, err) = CheckBody("\n  allow(\"dom0_t\", \"domU_t\", \"domain\", [\"pause\", \"fly\"]);\n", out string file);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Is.EqualTo($"{file}:11:3: unknown permission 'fly' in class 'domain'\n"));
    }

    [Test]
    public void ARuleSpanningLinesIsReportedWhereItStarts()
    {
        var (_, _, err) = CheckBody("\n\nallow(\"dom0_t\", \"domU_t\", \"domain\", [\n  \"pause\",\n  \"fly\"]);\n", out string file);
        Assert.That(err, Is.EqualTo($"{file}:12:1: unknown permission 'fly' in class 'domain'\n"));
    }

    [Test]
    public void UnknownClassAndTypeAreReported()
    {
        var (code, _, err) = CheckBody("allow(\"dom0_t\", \"domU_t\", \"doamin\", \"pause\");\nallow(\"dom0_t\", \"ghost_t\", \"domain\", \"pause\");\n", out string file);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Does.Contain($"{file}:10:1: unknown class 'doamin'"));
        Assert.That(err, Does.Contain($"{file}:11:1: unknown type or attribute 'ghost_t'"));
    }

    [Test]
    public void NeverallowViolationIsReportedAtTheAllow()
    {
        var (code, _, err) = CheckBody(
            "neverallow(\"domU_t\", \"dom0_t\", \"domain\", [\"destroy\", \"pause\"]);\n" +
            "allow(\"domain_type\", \"domain_type\", \"domain\", \"pause\");\n", out string file);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Is.EqualTo($"{file}:11:1: neverallow violation: allow domU_t dom0_t:domain {{ pause }} (neverallow at {file}:10:1)\n"));
    }

    [Test]
    public void ConditionalAllowsAreCheckedAgainstNeverallowsToo()
    {
        var (code, _, err) = CheckBody(
            "bool(\"b\", false);\nneverallow(\"domU_t\", \"xen_t\", \"xen\", \"kexec\");\nwhen(\"b\", () => allow(\"domU_t\", \"xen_t\", \"xen\", \"kexec\"));\n", out string file);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Does.StartWith($"{file}:12:17: neverallow violation"));
    }

    [Test]
    public void EveryErrorIsReportedNotJustTheFirst()
    {
        var (_, _, err) = CheckBody("allow(\"dom0_t\", \"domU_t\", \"domain\", \"a\");\nallow(\"dom0_t\", \"domU_t\", \"domain\", \"b\");\n", out _);
        Assert.That(err.Split('\n', System.StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(2));
    }

    [Test]
    public void BadArgumentsAndBooleansAreReported()
    {
        var (_, _, err) = CheckBody("allow(\"dom0_t\", \"domU_t\", \"domain\");\nwhen(\"nope\", () => {});\ntype(\"dom0_t\");\n", out string file);
        Assert.That(err, Does.Contain($"{file}:10:1: allow takes (sources, targets, classes, permissions)"));
        Assert.That(err, Does.Contain($"{file}:11:1: unknown boolean 'nope'"));
        Assert.That(err, Does.Contain($"{file}:12:1: 'dom0_t' is declared twice"));
    }

    [Test]
    public void MissingUnlabeledSidIsAnError()
    {
        string file = Path.Combine(Scratch(("p.js", "import { type } from \"xenlite\";\ntype(\"a_t\");\n")), "p.js");
        var (code, _, err) = Cli(null, "check", file);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Does.Contain("must label the 'unlabeled' initial SID"));
    }

    [Test]
    public void MissingFileAndBadUsage()
    {
        Assert.That(Cli(null, "check", "/nonexistent/p.js").Code, Is.EqualTo(1));
        Assert.That(Cli(null, "check").Code, Is.EqualTo(2));
        Assert.That(Cli(null, "frobnicate").Code, Is.EqualTo(2));
    }
}

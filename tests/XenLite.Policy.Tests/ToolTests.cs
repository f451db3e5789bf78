using System.IO;
using NUnit.Framework;
using static XenLite.Policy.Tests.PolicyFiles;

namespace XenLite.Policy.Tests;

[Category("policy")]
public class ToolTests
{
    [Test]
    public void ShippedPolicyTestsPass()
    {
        var (code, output, err) = Cli(null, "test", Path.Combine(Root, "policies"));
        Assert.That(err, Is.Empty);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Match(@"^\d+ passed, 0 failed\n$"));
    }

    [Test]
    public void FailingExpectationsAreLocatedAndFailTheRun()
    {
        string dir = Scratch(("p.js", Prelude + "allow(\"dom0_t\", \"domU_t\", \"domain\", \"pause\");\n"),
            ("p.test.js", "import { policy, test, expectAllow, expectDeny } from \"xenlite/test\";\npolicy(\"./p.js\");\n" +
                "test(\"ok\", () => expectAllow(\"dom0_t\", \"domU_t\", \"domain\", \"pause\"));\n" +
                "test(\"bad\", () => {\n  expectDeny(\"dom0_t\", \"domU_t\", \"domain\", \"pause\");\n});\n"));
        var (code, output, err) = Cli(null, "test", dir);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Does.Contain("1 passed, 1 failed"));
        Assert.That(err, Does.Contain("p.test.js:5:3: bad: expected deny dom0_t domU_t:domain pause, got allowed"));
    }

    [Test]
    public void NoTestsIsAFailure() => Assert.That(Cli(null, "test", Scratch()).Code, Is.EqualTo(1));

    [Test]
    public void ExplainNamesTheRulesAndBooleans()
    {
        var (code, output, _) = Cli(null, "explain", Shipped("default.js"), "domU_t", "xen_t", "xen", "writeconsole");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.StartWith("domU_t xen_t:xen writeconsole: allowed"));
        Assert.That(output, Does.Contain("allow domain_type xen_t:xen writeconsole [when guest_writeconsole is true]"));
        Assert.That(output, Does.Contain("policies/default.js:"));
        Assert.That(output, Does.Contain("inactive:").And.Contain("dontaudit domain_type xen_t:xen writeconsole"));
        Assert.That(output, Does.Contain("booleans: guest_writeconsole=true, prot_doms_locked=false"));

        var denied = Cli(null, "explain", Shipped("default.js"), "domU_t", "xen_t", "xen", "writeconsole", "--set", "guest_writeconsole=false");
        Assert.That(denied.Out, Does.StartWith("domU_t xen_t:xen writeconsole: denied (auditallow 0, dontaudit 1)"));
        Assert.That(denied.Out, Does.Contain("no allow rule grants it"));
        Assert.That(Cli(null, "explain", Shipped("default.js"), "nobody_t", "xen_t", "xen", "kexec").Code, Is.EqualTo(1));
    }

    [Test]
    public void DiffListsEveryChangedDecision()
    {
        var same = Cli(null, "diff", Shipped("default.js"), Shipped("default.js"));
        Assert.That(same.Out, Is.EqualTo("0 differences\n"));
        string dir = Scratch(("a.js", Prelude + "allow(\"dom0_t\", \"domU_t\", \"domain\", [\"pause\", \"unpause\"]);\nbool(\"b\", true);\n"),
            ("b.js", Prelude + "allow(\"dom0_t\", \"domU_t\", \"domain\", [\"pause\", \"destroy\"]);\nbool(\"b\", false);\ntype(\"new_t\");\n"));
        var (code, output, _) = Cli(null, "diff", Path.Combine(dir, "a.js"), Path.Combine(dir, "b.js"));
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("-allow dom0_t domU_t:domain { unpause }\n"));
        Assert.That(output, Does.Contain("+allow dom0_t domU_t:domain { destroy }\n"));
        Assert.That(output, Does.Contain("+type new_t\n"));
        Assert.That(output, Does.Contain("~bool b true -> false\n"));
        Assert.That(output, Does.EndWith("4 differences\n"));
        Assert.That(Cli(null, "diff", Shipped("default.js"), Shipped("edge.js")).Out, Does.Contain("-type prot_domU_t"));
    }

    [Test]
    public void CoverageReportsUnexercisedRules()
    {
        string dir = Scratch(("p.js", Prelude + "allow(\"dom0_t\", \"domU_t\", \"domain\", \"pause\");\nallow(\"dom0_t\", \"domU_t\", \"grant\", \"copy\");\n"),
            ("p.test.js", "import { policy, test, expectAllow } from \"xenlite/test\";\npolicy(\"./p.js\");\ntest(\"t\", () => expectAllow(\"dom0_t\", \"domU_t\", \"domain\", \"pause\"));\n"));
        var (code, output, _) = Cli(null, "coverage", dir);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("p.js: 1/2 rules exercised (50.0%)"));
        Assert.That(output, Does.Contain("p.js:11:1: not exercised: allow dom0_t domU_t:grant copy"));
    }

    [Test]
    public void QueryPrintsOneTabSeparatedLinePerRequest()
    {
        string input = "dom0_t domU_t domain create\n# comment\n\ndomU_t xen_t xen writeconsole\ndom0_t security_t security setbool\ndomU_t xen_t version xen_build_id\n";
        var (code, output, err) = Cli(input, "query", Shipped("default.js"));
        Assert.That(err, Is.Empty);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Is.EqualTo(
            "dom0_t\tdomU_t\tdomain\tcreate\tallow\t0\t0\n" +
            "domU_t\txen_t\txen\twriteconsole\tallow\t0\t0\n" +
            "dom0_t\tsecurity_t\tsecurity\tsetbool\tallow\t1\t0\n" +
            "domU_t\txen_t\tversion\txen_build_id\tdeny\t0\t1\n"));
        var set = Cli("domU_t xen_t xen writeconsole\n", "query", Shipped("default.js"), "--set", "guest_writeconsole=false");
        Assert.That(set.Out, Is.EqualTo("domU_t\txen_t\txen\twriteconsole\tdeny\t0\t1\n"));
    }

    [Test]
    public void QueryReadsAFileAndACompiledBlobAndReportsBadLines()
    {
        string dir = Scratch(("q.txt", "dom0_t domU_t domain create\nbad line\ndom0_t domU_t domain fly\n"));
        string blob = Path.Combine(dir, "p.bin");
        Assert.That(Cli(null, "compile", Shipped("default.js"), "-o", blob).Code, Is.EqualTo(0));
        var (code, output, err) = Cli(null, "query", blob, Path.Combine(dir, "q.txt"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Is.EqualTo("dom0_t\tdomU_t\tdomain\tcreate\tallow\t0\t0\n"));
        Assert.That(err, Does.Contain("q.txt:2:1: expected 'subject object class perm'"));
        Assert.That(err, Does.Contain("q.txt:3:1: unknown permission 'fly' in class 'domain'"));
        Assert.That(Cli("", "query", Shipped("default.js"), "--set", "nope=true").Code, Is.EqualTo(1));
        Assert.That(Cli("", "query", Shipped("default.js"), "--set", "guest_writeconsole=maybe").Code, Is.EqualTo(2));
    }
}

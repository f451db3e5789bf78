using System.IO;
using NUnit.Framework;
using XenLite.Flask;
using static XenLite.Policy.Tests.PolicyFiles;

namespace XenLite.Policy.Tests;

[Category("policy")]
public class CompileTests
{
    [Test]
    public void SameInputGivesTheSameBytes()
    {
        byte[] a = Compiler.Compile(Shipped("default.js")).Blob;
        byte[] b = Compiler.Compile(Shipped("default.js")).Blob;
        Assert.That(a, Is.Not.Null);
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void CompileWritesTheBlobAndItReadsBack()
    {
        string output = Path.Combine(Scratch(), "default.bin");
        var (code, stdout, err) = Cli(null, "compile", Shipped("default.js"), "-o", output);
        Assert.That(err, Is.Empty);
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("bytes"));
        byte[] blob = File.ReadAllBytes(output);
        Assert.That(PolicyReader.Read(blob, out FlaskPolicy p), Is.EqualTo(0));
        Assert.That(p.TypeCount, Is.EqualTo(32));
        Assert.That(p.EnforcingDefault, Is.True);
        Assert.That(Cli(null, "compile", Shipped("default.js")).Code, Is.EqualTo(2));
    }

    [Test]
    public void AttributesExpandAndComplementsWork()
    {
        var cp = Compile("allow(\"domain_type\", \"~domain_type\", \"xen\", \"physinfo\");\nallow([\"domain_type\", \"-domU_t\"], \"domU_t\", \"domain\", \"*\");\n");
        Assert.That(cp.Diagnostics, Is.Empty);
        var d = new Decider(cp.Load(), cp);
        Assert.That(Allowed(d, "domU_t", "xen_t", "xen", "physinfo"), Is.True);
        Assert.That(Allowed(d, "domU_t", "dom0_t", "xen", "physinfo"), Is.False);
        Assert.That(Allowed(d, "dom0_t", "domU_t", "domain", "set_target"), Is.True);
        Assert.That(Allowed(d, "domU_t", "domU_t", "domain", "pause"), Is.False);
    }

    [Test]
    public void ConditionalRulesFollowBooleans()
    {
        var cp = Compile("bool(\"a\", true);\nbool(\"b\", false);\n" +
            "when(\"a && !b\", () => allow(\"domU_t\", \"xen_t\", \"xen\", \"writeconsole\"), () => dontaudit(\"domU_t\", \"xen_t\", \"xen\", \"writeconsole\"));\n" +
            "when(\"b || (a && b)\", () => auditallow(\"dom0_t\", \"xen_t\", \"xen\", \"kexec\"));\n");
        Assert.That(cp.Diagnostics, Is.Empty);
        var d = new Decider(cp.Load(), cp);
        Assert.That(Allowed(d, "domU_t", "xen_t", "xen", "writeconsole"), Is.True);
        d.SetBools(new System.Collections.Generic.Dictionary<string, bool> { ["b"] = true });
        d.Decide("domU_t", "xen_t", "xen", "writeconsole", out bool allowed, out _, out bool dontaudit, out _);
        Assert.That((allowed, dontaudit), Is.EqualTo((false, true)));
        d.Decide("dom0_t", "xen_t", "xen", "kexec", out _, out bool auditallow, out _, out _);
        Assert.That(auditallow, Is.True);
    }

    [Test]
    public void TransitionsPermissiveLabelsAndResourcesAreInTheTable()
    {
        var cp = Compile("type(\"domU_t_self\");\ntype(\"dev_t\");\ntypeTransition(\"domU_t\", \"domU_t\", \"domain\", \"domU_t_self\");\n" +
            "permissive(\"domU_t\");\nlabel(\"guest\", \"domU_t\");\niomem(0x1000, 0x1fff, \"dev_t\");\nirq(5, \"dev_t\");\npcidevice(\"0x0300\", \"dev_t\");\n" +
            "");
        Assert.That(cp.Diagnostics, Is.Empty);
        FlaskPolicy p = cp.Load();
        uint domU = p.TypeSid("domU_t"u8), self = p.TypeSid("domU_t_self"u8), dev = p.TypeSid("dev_t"u8);
        Assert.That(p.Transition(domU, domU, FlaskSchema.ClassDomain), Is.EqualTo(self));
        Assert.That(p.Transition(domU, p.TypeSid("dom0_t"u8), FlaskSchema.ClassDomain), Is.EqualTo(domU), "domain class defaults to the subject");
        Assert.That(p.Transition(domU, p.TypeSid("dom0_t"u8), FlaskSchema.ClassEvent), Is.EqualTo(p.TypeSid("dom0_t"u8)), "other classes default to the object");
        Assert.That(p.IsPermissive(domU), Is.True);
        Assert.That(p.IsPermissive(p.TypeSid("dom0_t"u8)), Is.False);
        Assert.That(p.LabelSid("guest"u8), Is.EqualTo(domU));
        Assert.That(p.LabelSid("nope"u8), Is.EqualTo(0u));
        Assert.That(p.ResourceSid(PolicyFormat.OconIomem, 0x1800), Is.EqualTo(dev));
        Assert.That(p.ResourceSid(PolicyFormat.OconIomem, 0x2000), Is.EqualTo(p.InitialSid(PolicyFormat.SidIomem)));
        Assert.That(p.ResourceSid(PolicyFormat.OconIrq, 5), Is.EqualTo(dev));
        Assert.That(p.ResourceSid(PolicyFormat.OconDevice, 0x300), Is.EqualTo(dev));
    }

    [Test]
    public void ConflictingTransitionsAndOverlappingLabelsAreErrors()
    {
        var cp = Compile("type(\"a_t\");\ntype(\"b_t\");\ntypeTransition(\"domU_t\", \"dom0_t\", \"event\", \"a_t\");\ntypeTransition(\"domU_t\", \"domain_type\", \"event\", \"b_t\");\n" +
            "ioport(0x300, 0x31f, \"a_t\");\nioport(0x310, \"b_t\");\n");
        Assert.That(cp.Diagnostics, Has.Count.EqualTo(2));
        Assert.That(cp.Diagnostics[0].ToString(), Does.Contain(":13:1: conflicting type transition"));
        Assert.That(cp.Diagnostics[1].ToString(), Does.Contain(":15:1: resource label overlaps"));
    }

    static bool Allowed(Decider d, string s, string t, string c, string p)
    {
        Assert.That(d.Decide(s, t, c, p, out bool allowed, out _, out _, out string error), Is.True, error);
        return allowed;
    }
}

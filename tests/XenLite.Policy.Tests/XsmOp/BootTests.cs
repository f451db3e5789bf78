using System.Runtime.InteropServices;
using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;
using XenLite.Hv.Xsm;
using XenLite.Tests.Harness;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>The plugin's boot: the flask= option and the embedded boot policy (Xen's flask_init).</summary>
[Category("xsm_op")]
[Category("flask")]
[NonParallelizable] // FlaskPlugin.BootPolicy is one static, as in the image
public unsafe class BootTests
{
    [TestCase("", FlaskMode.Unset)]
    [TestCase("console=com1 flask=enforcing", FlaskMode.Enforcing)]
    [TestCase("flask=permissive loglvl=all", FlaskMode.Permissive)]
    [TestCase("flask=disabled", FlaskMode.Disabled)]
    [TestCase("flask=late", FlaskMode.Late)]
    [TestCase("flask=Enforcing", FlaskMode.Invalid)]
    [TestCase("flask=", FlaskMode.Invalid)]
    [TestCase("flask=late flask=permissive", FlaskMode.Permissive)]
    [TestCase("noflask=late xflask=late", FlaskMode.Unset)]
    public void TheLastFlaskWordWins(string line, FlaskMode mode) =>
        Assert.That(FlaskBootParam.FromCommandLine(line), Is.EqualTo(mode));

    static TestMachine Boot(string commandLine, byte[] policy)
    {
        var m = new TestMachine(FlaskPlugin.Register);
        m.Hv.Build.CommandLine = commandLine;
        if (policy == null)
        {
            FlaskPlugin.BootPolicy = null;
            FlaskPlugin.BootPolicySize = 0;
            FlaskPlugin.Init(m.Hv);
            return m;
        }
        var pin = GCHandle.Alloc(policy, GCHandleType.Pinned);
        try
        {
            FlaskPlugin.BootPolicy = (byte*)pin.AddrOfPinnedObject();
            FlaskPlugin.BootPolicySize = (ulong)policy.Length;
            FlaskPlugin.Init(m.Hv);
        }
        finally
        {
            FlaskPlugin.BootPolicy = null;
            FlaskPlugin.BootPolicySize = 0;
            pin.Free();
        }
        return m;
    }

    [Test]
    public void InitInstallsFlaskWithTheEmbeddedPolicy()
    {
        using var m = Boot("console=com1", FlaskRig.DefaultBlob);
        var xsm = m.Hv.Xsm as FlaskXsm;
        Assert.That(xsm, Is.Not.Null);
        Assert.That(xsm.Policy, Is.Not.Null);
        Assert.That(xsm.Enforcing, Is.True, "the default policy is compiled enforcing");
        Assert.That(m.Platform.ConsoleText, Does.Contain("(XEN) Flask:  Starting in enforcing mode."));
        var domU = m.NewDomain(GuestMode.Hvm64, 1, privileged: false);
        Assert.That(xsm.ConsoleIo(domU, ConsoleIoCmd.Read), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void PermissiveLogsButAllows()
    {
        using var m = Boot("flask=permissive", FlaskRig.DefaultBlob);
        var xsm = (FlaskXsm)m.Hv.Xsm;
        Assert.That(xsm.Enforcing, Is.False);
        Assert.That(m.Platform.ConsoleText, Does.Contain("(XEN) Flask:  Starting in permissive mode."));
        var domU = m.NewDomain(GuestMode.Hvm64, 1, privileged: false);
        Assert.That(xsm.ConsoleIo(domU, ConsoleIoCmd.Read), Is.EqualTo(0));
        Assert.That(m.Platform.ConsoleText, Does.Contain("avc: denied { readconsole }"));
    }

    [Test]
    public void LateIgnoresTheBootPolicy()
    {
        using var m = Boot("flask=late", FlaskRig.DefaultBlob);
        var xsm = (FlaskXsm)m.Hv.Xsm;
        Assert.That(xsm.Policy, Is.Null);
        Assert.That(xsm.Enforcing, Is.True);
        Assert.That(m.Platform.ConsoleText, Does.Contain("(XEN) Flask:  Access controls disabled until policy is loaded."));
    }

    [Test]
    public void DisabledKeepsTheDummyModule()
    {
        using var m = Boot("flask=disabled", FlaskRig.DefaultBlob);
        Assert.That(m.Hv.Xsm, Is.InstanceOf<DummyXsm>());
        Assert.That(m.Platform.PowerOffStatus, Is.Null);
    }

    [TestCase("flask=enforcing")]
    [TestCase("")]
    public void EnforcingWithoutAUsablePolicyStopsTheMachine(string line)
    {
        using var m = Boot(line, null);
        Assert.That(m.Platform.ConsoleText, Does.Contain("Panic on CPU 0:\n(XEN) Unable to load FLASK policy"));
        Assert.That(m.Platform.PowerOffStatus, Is.EqualTo(1));
        Assert.That(m.Hv.Xsm, Is.InstanceOf<DummyXsm>());

        byte[] bad = (byte[])FlaskRig.DefaultBlob.Clone();
        bad[100] ^= 1;
        using var m2 = Boot(line, bad);
        Assert.That(m2.Platform.PowerOffStatus, Is.EqualTo(1), "a bad blob too");
    }

    [Test]
    public void PermissiveWithoutAPolicyCarriesOn()
    {
        using var m = Boot("flask=permissive", null);
        Assert.That(m.Platform.PowerOffStatus, Is.Null);
        Assert.That(((FlaskXsm)m.Hv.Xsm).Policy, Is.Null);
        Assert.That(m.Platform.ConsoleText, Does.Contain("Access controls disabled until policy is loaded."));
    }

    [Test]
    public void AnInvalidValueStopsTheMachine()
    {
        using var m = Boot("flask=yes", FlaskRig.DefaultBlob);
        Assert.That(m.Platform.ConsoleText, Does.Contain("Flask: Invalid value for flask= boot parameter."));
        Assert.That(m.Platform.PowerOffStatus, Is.EqualTo(1));
    }

    [Test]
    public void WithoutTheOptionAPolicyCompiledPermissiveStartsPermissive()
    {
        var cp = PolicyFiles.Compile("import { enforcing } from \"xenlite\";\nenforcing(false);\n");
        Assert.That(cp.Diagnostics, Is.Empty);
        using var m = Boot("", cp.Blob);
        Assert.That(((FlaskXsm)m.Hv.Xsm).Enforcing, Is.False);
        using var forced = Boot("flask=enforcing", cp.Blob);
        Assert.That(((FlaskXsm)forced.Hv.Xsm).Enforcing, Is.True, "an explicit flask= wins");
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Plugin.Argo;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Argo;

/// <summary>The argo= option, the checks before any sub-op, and the build without the plugin.</summary>
[Category("argo_op")]
public class ArgoEnableTests
{
    [Test]
    public void OffByDefaultEverySubOpIsEopnotsupp()
    {
        using var m = ArgoRig.Machine(commandLine: "console=com1");
        var d = m.Guest(1);
        for (int cmd = 1; cmd <= 5; cmd++)
            Assert.That(m.Argo(d, cmd), Is.EqualTo(-Errno.EOPNOTSUPP), $"cmd {cmd}");
    }

    [TestCase("argo=1", true, false)]
    [TestCase("argo=yes", true, false)]
    [TestCase("argo=on,mac-permissive", true, true)]
    [TestCase("argo=true,mac-permissive=1", true, true)]
    [TestCase("argo=enable,no-mac-permissive", true, false)]
    [TestCase("argo=0", false, false)]
    [TestCase("no-argo", false, false)]
    [TestCase("argo=1 argo=off", false, false)]
    [TestCase("argo=mac-permissive", false, true)]
    public void OptionValues(string line, bool enabled, bool permissive)
    {
        using var m = ArgoRig.Machine(commandLine: line);
        ArgoState s = ArgoState.Of(m.Hv);
        Assert.That(s.Enabled, Is.EqualTo(enabled));
        Assert.That(s.MacPermissive, Is.EqualTo(permissive));
        Assert.That(m.Platform.ConsoleText, Does.Not.Contain("invalid"));
    }

    [TestCase("argo", "argo", "")]
    [TestCase("argo=1,bogus", "argo", "1,bogus")]
    [TestCase("argo=mac-permissive=maybe", "argo", "mac-permissive=maybe")]
    [TestCase("no-argo=1", "no-argo", "1")]
    public void BadValuesAreReportedAndTheRestStillApplies(string line, string key, string value)
    {
        using var m = ArgoRig.Machine(commandLine: line);
        Assert.That(m.Platform.ConsoleText, Does.Contain($"(XEN) parameter \"{key}\" has invalid value \"{value}\", rc=-22!"));
        // "1,bogus": the valid element is applied, as Xen's parse_argo does.
        Assert.That(ArgoState.Of(m.Hv).Enabled, Is.EqualTo(line == "argo=1,bogus"));
    }

    [Test]
    public void NumericArgumentsWiderThan32BitsAreEinvalEvenWhenDisabled()
    {
        using var m = ArgoRig.Machine(commandLine: "");
        var d = m.Guest(1);
        Assert.That(m.Argo(d, ArgoAbi.OpNotify, 0, 0, 1UL << 32), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Argo(d, ArgoAbi.OpSendv, 0, 0, 0, 1UL << 32), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void UnknownSubOpIsEopnotsupp()
    {
        using var m = ArgoRig.Machine();
        var d = m.Guest(1);
        Assert.That(m.Argo(d, 0), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(m.Argo(d, 5), Is.EqualTo(-Errno.EOPNOTSUPP));
    }

    [Test]
    public void XsmArgoEnableRefusalIsReturnedAsIs()
    {
        var xsm = XsmDecider.Create((hook, args) => hook == "ArgoEnable" ? -Errno.EACCES : XsmDecider.Pass);
        using var m = ArgoRig.Machine(xsm: xsm);
        var d = m.Guest(1);
        Assert.That(m.Argo(d, ArgoAbi.OpNotify), Is.EqualTo(-Errno.EACCES));
        Assert.That(m.Register(d, 1, 2, 4096 - 64), Is.EqualTo(-Errno.EACCES));
    }

    static readonly GuestMode[] Modes = { GuestMode.Pv32, GuestMode.Pv64, GuestMode.Hvm32, GuestMode.Hvm64, GuestMode.Arm };

    [TestCaseSource(nameof(Modes))]
    public void LeftOutArgoOpIsEnosys(GuestMode mode)
    {
        // Without the feature the row is gone even if a handler were registered.
        using var m = new TestMachine(ArgoPlugin.Register);
        m.Hv.Build.CommandLine = "argo=1";
        var d = m.NewDomain(mode, 1, privileged: false);
        Assert.That(m.Hv.Dispatcher.IsImplemented(HypercallNumber.ArgoOp, mode), Is.False);
        for (int cmd = 0; cmd <= 5; cmd++)
            Assert.That(m.Call(d.Vcpus[0], HypercallNumber.ArgoOp, (ulong)cmd), Is.EqualTo(-Errno.ENOSYS));
    }

    [TestCaseSource(nameof(Modes))]
    public void BuiltInArgoOpIsRoutedInEveryMode(GuestMode mode)
    {
        using var m = ArgoRig.Machine();
        var d = m.NewDomain(mode, 1, privileged: false);
        Assert.That(m.Hv.Dispatcher.CellFor(HypercallNumber.ArgoOp, mode).Text, Is.EqualTo(GuestModes.Is32Bit(mode) ? "compat" : "do"));
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.ArgoOp, ArgoAbi.OpNotify), Is.EqualTo(0));
    }
}

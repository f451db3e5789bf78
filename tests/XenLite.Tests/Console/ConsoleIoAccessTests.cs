using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using XenLite.Tests.XenVersion;
using static XenLite.Tests.ConsoleIo.ConsoleGuest;

namespace XenLite.Tests.ConsoleIo;

/// <summary>Who may use console_io (xsm_console_io), unknown commands, routing.</summary>
[Category("console_io")]
public class ConsoleIoAccessTests
{
    [TestCase(ConsoleIoCmd.Write)]
    [TestCase(ConsoleIoCmd.Read)]
    [TestCase(2)]
    [TestCase(0xFFFF_FFFF)]
    public void UnprivilegedNonConsoleDomainIsEpermForEveryCommand(long cmd)
    {
        using var m = new TestMachine();
        m.NewDomain(GuestMode.Hvm64);
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.Hv.Console.Receive((byte)'k');
        m.Poke(d, Buf, "hi\n"u8);
        Assert.That(Io(m, d, (ulong)cmd, 3, Buf), Is.EqualTo(-Errno.EPERM));
        Assert.That(Text(m), Is.Empty);
        Assert.That(m.Hv.Console.TryTakeInput(out _), Is.True, "input not taken");
    }

    [Test]
    public void PrivilegedDomainWithoutConsoleFlagIsAllowed()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: true);
        d.IsConsole = false;
        Assert.That(Write(m, d, "ok\n"), Is.EqualTo(0));
        Assert.That(Text(m), Is.EqualTo("(d1) ok\n"));
    }

    [TestCase(2u)]
    [TestCase(0x8000_0000u)]
    [TestCase(0xFFFF_FFFFu)]
    public void UnknownCommandIsEnosysForAllowedDomains(uint cmd)
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var d = ConsoleDomU(m, GuestMode.Arm);
        Assert.That(Io(m, d0, cmd, 1, Buf), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(Io(m, d, cmd, 1, Buf), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void PolicyRefusalIsReturnedAsIs()
    {
        using var m = new TestMachine(xsm: XsmOverride.Create("ConsoleIo", -Errno.EACCES));
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(Write(m, d0, "no\n"), Is.EqualTo(-Errno.EACCES));
        Assert.That(Text(m), Is.Empty);
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    [TestCase(GuestMode.Arm)]
    public void ConsoleIoIsRoutedInEveryMode(GuestMode mode)
    {
        using var m = new TestMachine();
        Assert.That(m.Hv.Dispatcher.IsImplemented(HypercallNumber.ConsoleIo, mode), Is.True);
    }
}

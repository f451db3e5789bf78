using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.ConsoleIo.ConsoleGuest;

namespace XenLite.Tests.ConsoleIo;

/// <summary>CONSOLEIO_read: the serial input ring, counts, wrap-around and faults.</summary>
[Category("console_io")]
public class ConsoleReadTests
{
    static void Type(TestMachine m, string s)
    {
        foreach (char c in s) m.Hv.Console.Receive((byte)c);
    }

    static long Read(TestMachine m, Domain d, ulong count, ulong gpa = Buf) =>
        Io(m, d, ConsoleIoCmd.Read, count, TestMachine.GuestAddr(d, gpa));

    static string Remaining(TestMachine m)
    {
        var sb = new StringBuilder();
        while (m.Hv.Console.TryTakeInput(out byte b)) sb.Append((char)b);
        return sb.ToString();
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    [TestCase(GuestMode.Arm)]
    public void ReadReturnsTheWaitingBytes(GuestMode mode)
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(mode);
        Type(m, "abc");
        Assert.That(Read(m, d0, 10), Is.EqualTo(3));
        Assert.That(Encoding.ASCII.GetString(m.Peek(d0, Buf, 3)), Is.EqualTo("abc"));
        Assert.That(Read(m, d0, 10), Is.EqualTo(0), "nothing left");
    }

    [Test]
    public void ReadStopsAtCountAndLeavesTheRest()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Type(m, "hello");
        Assert.That(Read(m, d0, 2), Is.EqualTo(2));
        Assert.That(Encoding.ASCII.GetString(m.Peek(d0, Buf, 2)), Is.EqualTo("he"));
        Assert.That(Remaining(m), Is.EqualTo("llo"));
    }

    [Test]
    public void ZeroCountReadsNothing()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Type(m, "x");
        Assert.That(Io(m, d0, ConsoleIoCmd.Read, 0, 0xFFFF_F000), Is.EqualTo(0));
        Assert.That(Remaining(m), Is.EqualTo("x"));
    }

    [Test]
    public void CountAboveIntMaxIsE2bigAndConsumesNothing()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Type(m, "keep");
        Assert.That(Read(m, d0, 0x8000_0000), Is.EqualTo(-Errno.E2BIG));
        Assert.That(Read(m, d0, 0xFFFF_FFFF), Is.EqualTo(-Errno.E2BIG));
        Assert.That(Read(m, d0, 0x7FFF_FFFF), Is.EqualTo(4));
    }

    [Test]
    public void CountIsTruncatedTo32BitsBeforeTheCheck()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Type(m, "abc");
        Assert.That(Read(m, d0, 0x1_0000_0002), Is.EqualTo(2));
    }

    [Test]
    public void BadPointerIsEfaultAndTheInputStays()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Type(m, "stay");
        Assert.That(Io(m, d0, ConsoleIoCmd.Read, 4, 0xFFFF_F000), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Remaining(m), Is.EqualTo("stay"));
    }

    [Test]
    public void InputWrappingTheRingIsReadInOrder()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Type(m, new string('.', 120));
        Assert.That(Read(m, d0, 200), Is.EqualTo(120));
        Type(m, "0123456789abcdefghij"); // 8 bytes to the ring's end, 12 from its start
        Assert.That(Read(m, d0, 200), Is.EqualTo(20));
        Assert.That(Encoding.ASCII.GetString(m.Peek(d0, Buf, 20)), Is.EqualTo("0123456789abcdefghij"));
    }

    [Test]
    public void FaultInTheSecondRunKeepsTheFirstRunConsumed()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64, pages: 64);
        Type(m, new string('.', 120));
        Read(m, d0, 200);
        Type(m, "0123456789abcdefghij");
        const ulong End = 64 * 4096;
        // The first run (8 bytes, up to the ring's end) fits before the end of RAM; the second does not.
        Assert.That(Io(m, d0, ConsoleIoCmd.Read, 20, End - 8), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Encoding.ASCII.GetString(m.Peek(d0, End - 8, 8)), Is.EqualTo("01234567"));
        Assert.That(Remaining(m), Is.EqualTo("89abcdefghij"));
    }

    [Test]
    public void ConsoleDomainMayReadToo()
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m);
        Type(m, "in");
        Assert.That(Read(m, d, 5), Is.EqualTo(2));
    }
}

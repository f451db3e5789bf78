using System.Linq;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.ConsoleIo.ConsoleGuest;

namespace XenLite.Tests.ConsoleIo;

/// <summary>CONSOLEIO_write: hardware domain output, other domains' lines, lengths and faults.</summary>
[Category("console_io")]
public class ConsoleWriteTests
{
    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    [TestCase(GuestMode.Arm)]
    public void HardwareDomainBytesGoOutUnchangedAndUnprefixed(GuestMode mode)
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(mode);
        Assert.That(Write(m, d0, "boot\u0001 ok\tno newline"), Is.EqualTo(0));
        Assert.That(Text(m), Is.EqualTo("boot\u0001 ok\tno newline"));
    }

    [Test]
    public void HardwareDomainOutputSkipsTheRingUnlessConsoleToRing()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Write(m, d0, "direct\n");
        Assert.That(m.Hv.Console.Produced, Is.EqualTo(0UL));
        m.Hv.Console.ConsoleToRing = true;
        Write(m, d0, "ringed\n");
        Assert.That(Ring(m), Is.EqualTo("ringed\n"));
        Assert.That(Text(m), Is.EqualTo("direct\nringed\n"));
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    [TestCase(GuestMode.Arm)]
    public void OtherDomainsLinesArePrefixedAndGoToTheRing(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m, mode, id: 7);
        Assert.That(Write(m, d, "hello\n"), Is.EqualTo(0));
        Assert.That(Text(m), Is.EqualTo("(d7) hello\n"));
        Assert.That(Ring(m), Is.EqualTo("(d7) hello\n"));
    }

    [Test]
    public void PrivilegedDomainThatIsNotTheHardwareDomainIsPrefixed()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: true);
        Assert.That(Write(m, d, "ctl\n"), Is.EqualTo(0));
        Assert.That(Text(m), Is.EqualTo("(d2) ctl\n"));
    }

    [Test]
    public void PartialLineWaitsForItsNewline()
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m);
        Assert.That(Write(m, d, "abc"), Is.EqualTo(0));
        Assert.That(Text(m), Is.Empty);
        Write(m, d, "def\n");
        Assert.That(Text(m), Is.EqualTo("(d1) abcdef\n"));
    }

    [Test]
    public void SeveralLinesInOneWriteAndTheRestKept()
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m);
        Write(m, d, "one\ntwo\nthr");
        Assert.That(Text(m), Is.EqualTo("(d1) one\n(d1) two\n"));
        Write(m, d, "ee\n");
        Assert.That(Text(m), Is.EqualTo("(d1) one\n(d1) two\n(d1) three\n"));
    }

    [Test]
    public void EmptyLineIsPrintedAsPrefixOnly()
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m);
        Write(m, d, "\n");
        Assert.That(Text(m), Is.EqualTo("(d1) \n"));
    }

    [Test]
    public void NonPrintablesAreDroppedTabsAndLatin1Kept()
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m);
        Write(m, d, "a\u0001b\tc\u007f\u0080\u009f\u00a0\u00ffd\0e\r\n");
        Assert.That(Text(m), Is.EqualTo("(d1) ab\tc\u00a0\u00ffde\n"));
    }

    [Test]
    public void LeadingLogLevelMarkersAreEatenAsPrintkDoes()
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m);
        Write(m, d, "<1><G>x<2>\n<a\n");
        Assert.That(Text(m), Is.EqualTo("(d1) x<2>\n(d1) <a\n"));
    }

    [Test]
    public void LineThatNoLongerFitsIsPrintedWholeAtOnce()
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m);
        string long300 = new string('z', 300);
        Write(m, d, long300);
        // 127 + 127 bytes fit the 256-byte buffer (leaving its NUL); the third chunk does not.
        Assert.That(Text(m), Is.EqualTo("(d1) " + long300 + "\n"));
        Write(m, d, "next\n");
        Assert.That(Text(m), Is.EqualTo("(d1) " + long300 + "\n(d1) next\n"));
    }

    [Test]
    public void LineOf254BytesStillWaitsButOneMoreFlushes()
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m);
        Write(m, d, new string('q', 254));
        Assert.That(Text(m), Is.Empty);
        Write(m, d, "r");
        Assert.That(Text(m), Is.EqualTo("(d1) " + new string('q', 254) + "r\n"));
    }

    [Test]
    public void DomainsKeepSeparateLines()
    {
        using var m = new TestMachine();
        var a = ConsoleDomU(m, id: 1);
        var b = ConsoleDomU(m, id: 2);
        Write(m, a, "from ");
        Write(m, b, "other\n");
        Write(m, a, "one\n");
        Assert.That(Text(m), Is.EqualTo("(d2) other\n(d1) from one\n"));
    }

    [Test]
    public void NewDomainReusingAnIdStartsWithAnEmptyLine()
    {
        using var m = new TestMachine();
        m.NewDomain(GuestMode.Hvm64);
        var old = ConsoleDomU(m, id: 3);
        Write(m, old, "stale");
        m.Hv.DestroyDomain(old);
        var fresh = ConsoleDomU(m, id: 3);
        Write(m, fresh, "new\n");
        Assert.That(Text(m), Is.EqualTo("(d3) new\n"));
    }

    [Test]
    public void ZeroCountWritesNothingAndTouchesNoMemory()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(Io(m, d0, ConsoleIoCmd.Write, 0, 0xFFFF_F000), Is.EqualTo(0));
        Assert.That(Text(m), Is.Empty);
    }

    [Test]
    public void CountUsesOnlyTheLow32BitsOfItsRegister()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        m.Poke(d0, Buf, Encoding.ASCII.GetBytes("abcdef"));
        Assert.That(Io(m, d0, 0x1_0000_0000UL | ConsoleIoCmd.Write, 0x1_0000_0003UL, Buf), Is.EqualTo(0));
        Assert.That(Text(m), Is.EqualTo("abc"));
    }

    [TestCase(GuestMode.Hvm64, 0xFFFF_F000UL)]
    [TestCase(GuestMode.Pv64, 0xFFFF_8880_0010_0000UL)]
    [TestCase(GuestMode.Arm, 0x10_0000_0000UL)]
    public void BadPointerIsEfaultWithNothingOutput(GuestMode mode, ulong addr)
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(mode);
        Assert.That(Io(m, d0, ConsoleIoCmd.Write, 10, addr), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Text(m), Is.Empty);
    }

    [Test]
    public void FaultPartWayKeepsTheChunksAlreadyWritten()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64, pages: 64);
        const ulong End = 64 * 4096;
        byte[] text = Enumerable.Range(0, 200).Select(i => (byte)('A' + i % 26)).ToArray();
        m.Poke(d0, End - 200, text);
        Assert.That(Io(m, d0, ConsoleIoCmd.Write, 300, End - 200), Is.EqualTo(-Errno.EFAULT));
        // The first 127-byte chunk went out; the second would cross the end of RAM.
        Assert.That(Text(m), Is.EqualTo(Encoding.ASCII.GetString(text, 0, 127)));
    }

    [Test]
    public void NegativeCountIsAHugeUnsignedCountThatRunsIntoAFault()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm32, pages: 64);
        const ulong End = 64 * 4096;
        m.Poke(d0, End - 254, Enumerable.Repeat((byte)'n', 254).ToArray());
        Assert.That(Io(m, d0, ConsoleIoCmd.Write, unchecked((uint)-1), End - 254), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Text(m), Is.EqualTo(new string('n', 254)));
    }

    [Test]
    public void PvGuestWritesFromItsVirtualAddresses()
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m, GuestMode.Pv64, id: 4);
        m.Poke(d, Buf, Encoding.ASCII.GetBytes("pv says hi\n"));
        Assert.That(Io(m, d, ConsoleIoCmd.Write, 11, PvPageTables.VirtBase + Buf), Is.EqualTo(0));
        Assert.That(Text(m), Is.EqualTo("(d4) pv says hi\n"));
    }
}

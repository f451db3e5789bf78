using System.Linq;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;
using static XenLite.Tests.ConsoleIo.ConsoleGuest;

namespace XenLite.Tests.ConsoleIo;

/// <summary>Long writes are preempted between chunks and resume where they stopped.</summary>
[Category("console_io")]
public unsafe class ConsoleWritePreemptionTests
{
    static byte[] Pattern(int n) => Enumerable.Range(0, n).Select(i => (byte)('a' + i % 26)).ToArray();

    [Test]
    public void PreemptedWriteLeavesItsProgressInTheRegisters()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var v = d0.Vcpus[0];
        m.Poke(d0, Buf, Pattern(1000));
        m.Platform.PreemptAfterChecks = 2;

        long rc = Io(m, d0, ConsoleIoCmd.Write, 1000, Buf);

        // Chunk 1 needs no check, checks 1 and 2 let chunks 2 and 3 through, check 3 preempts.
        Assert.That(m.LastCallRestarted, Is.True);
        Assert.That(rc, Is.EqualTo(HypercallNumber.ConsoleIo));
        Assert.That(v.Regs[X86Reg.Rdi], Is.EqualTo((ulong)ConsoleIoCmd.Write));
        Assert.That(v.Regs[X86Reg.Rsi], Is.EqualTo(1000UL - 3 * 127));
        Assert.That(v.Regs[X86Reg.Rdx], Is.EqualTo(Buf + 3 * 127));
        Assert.That(Text(m), Has.Length.EqualTo(3 * 127));
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Arm)]
    public void LongWriteResumesAndEveryByteComesOutOnce(GuestMode mode)
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(mode);
        byte[] text = Pattern(5000);
        m.Poke(d0, Buf, text);
        m.Platform.PreemptAfterChecks = 4;

        long rc = m.Call(d0.Vcpus[0], HypercallNumber.ConsoleIo, ConsoleIoCmd.Write, 5000, TestMachine.GuestAddr(d0, Buf));
        Assert.That(m.LastCallRestarted, Is.True, "a 5000-byte write must be preempted");
        int resumes = 0;
        while (m.LastCallRestarted)
        {
            rc = m.Resume(d0.Vcpus[0]);
            resumes++;
        }

        Assert.That(rc, Is.EqualTo(0));
        Assert.That(resumes, Is.GreaterThan(1));
        Assert.That(Text(m), Is.EqualTo(Encoding.ASCII.GetString(text)));
    }

    [Test]
    public void DomUWriteResumesKeepingItsLinesWhole()
    {
        using var m = new TestMachine();
        var d = ConsoleDomU(m, GuestMode.Pv32, id: 5);
        string lines = string.Concat(Enumerable.Range(0, 60).Select(i => $"line {i:D2} of the guest log\n"));
        m.Poke(d, Buf, Encoding.ASCII.GetBytes(lines));
        m.Platform.PreemptAfterChecks = 1;

        long rc = m.CallToCompletion(d.Vcpus[0], HypercallNumber.ConsoleIo, ConsoleIoCmd.Write, (ulong)lines.Length,
            TestMachine.GuestAddr(d, Buf));

        Assert.That(rc, Is.EqualTo(0));
        string expected = string.Concat(Enumerable.Range(0, 60).Select(i => $"(d5) line {i:D2} of the guest log\n"));
        Assert.That(Text(m), Is.EqualTo(expected));
    }

    [Test]
    public void FirstChunkIsWrittenEvenWhenPreemptionIsAlreadyPending()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        m.Poke(d0, Buf, Pattern(300));
        m.Platform.PreemptAfterChecks = 0;
        Io(m, d0, ConsoleIoCmd.Write, 300, Buf);
        Assert.That(m.LastCallRestarted, Is.True);
        Assert.That(Text(m), Has.Length.EqualTo(127));
    }

    [Test]
    public void WriteInsideAMulticallContinuesThroughTheEntry()
    {
        using var m = new TestMachine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        byte[] text = Pattern(1000);
        m.Poke(d0, Buf, text);
        const ulong List = 0x1000;
        var e = new MulticallEntry { Op = HypercallNumber.ConsoleIo, Result = 0xdead };
        e.Args[0] = ConsoleIoCmd.Write;
        e.Args[1] = 1000;
        e.Args[2] = Buf;
        m.PokeStruct(d0, List, e);
        m.Platform.PreemptAfterChecks = 2;

        long rc = m.CallToCompletion(d0.Vcpus[0], HypercallNumber.Multicall, List, 1);

        Assert.That(rc, Is.EqualTo(0));
        Assert.That(m.PeekStruct<MulticallEntry>(d0, List).Result, Is.EqualTo(0UL));
        Assert.That(Text(m), Is.EqualTo(Encoding.ASCII.GetString(text)));
    }
}

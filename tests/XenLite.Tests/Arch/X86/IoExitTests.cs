using System.Linq;
using NUnit.Framework;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.X86;

[Category("svm")]
public unsafe class IoExitTests
{
    const ulong In = 1, Str = 4, Rep = 8, Sz8 = 0x10, Sz16 = 0x20, Sz32 = 0x40;

    static SvmExitResult Out(SvmBed bed, Vcpu v, ushort port, ulong value, ulong size = Sz8)
    {
        v.Regs[X86Reg.Rax] = value;
        return bed.Exit(v, SvmExit.Ioio, info1: ((ulong)port << 16) | size, info2: v.Regs.Ip + 1);
    }

    static void Print(SvmBed bed, Vcpu v, ushort port, string text)
    {
        foreach (char c in text) Out(bed, v, port, c);
    }

    [Test]
    public void DebugPortLineIsPrintedWithTheDomainPrefixOnNewline()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh(id: 3).Vcpus[0];
        Print(bed, v, 0xE9, "hello, world");
        Assert.That(bed.M.Platform.ConsoleText, Does.Not.Contain("hello"), "held until the line ends");
        Out(bed, v, 0xE9, '\n');
        Assert.That(bed.M.Platform.ConsoleText, Does.EndWith("(d3) hello, world\n"));
    }

    [Test]
    public void PlatformLogPortSharesTheLine()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Print(bed, v, 0xE9, "ab");
        Print(bed, v, 0x12, "cd\n");
        Assert.That(bed.M.Platform.ConsoleText, Does.EndWith("(d1) abcd\n"));
    }

    [Test]
    public void EachDomainHasItsOwnLine()
    {
        using var bed = new SvmBed();
        var a = bed.NewPvh(1).Vcpus[0];
        var b = bed.NewPvh(2).Vcpus[0];
        Print(bed, a, 0xE9, "one ");
        Print(bed, b, 0xE9, "two\n");
        Print(bed, a, 0xE9, "more\n");
        Assert.That(bed.M.Platform.ConsoleText, Does.EndWith("(d2) two\n(d1) one more\n"));
    }

    [Test]
    public void UnprintablesAreDroppedAndLongLinesCutAt255()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Print(bed, v, 0xE9, "a\x01\x1b[b\tc\n");
        Assert.That(bed.M.Platform.ConsoleText, Does.EndWith("(d1) a[b\tc\n"));
        Print(bed, v, 0xE9, new string('x', 300) + "\n");
        string text = bed.M.Platform.ConsoleText;
        Assert.That(text, Does.EndWith("(d1) " + new string('x', 255) + "\n(d1) " + new string('x', 45) + "\n"));
    }

    [Test]
    public void OutMovesRipToTheNextInstructionTheCpuReported()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs[X86Reg.Rax] = 'x';
        bed.Exit(v, SvmExit.Ioio, info1: (0xE9UL << 16) | Sz8, info2: SvmBed.Entry + 2); // out %al,(%dx) is 1 byte, but trust the CPU
        Assert.That(v.Regs.Ip, Is.EqualTo(SvmBed.Entry + 2UL));
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.Zero);
    }

    [Test]
    public void WideWritesToTheDebugPortAreIgnored()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Out(bed, v, 0xE9, 0x0A41, Sz16);
        Out(bed, v, 0xE9, 0x0A42_0A41, Sz32);
        Out(bed, v, 0x80, 'z'); // POST port: absent, dropped
        Assert.That(bed.M.Platform.ConsoleText, Does.Not.Contain("(d1)"));
    }

    [TestCase(Sz8, 0x1122_3344_5566_7788UL, 0x1122_3344_5566_77FFUL)]
    [TestCase(Sz16, 0x1122_3344_5566_7788UL, 0x1122_3344_5566_FFFFUL)]
    [TestCase(Sz32, 0x1122_3344_5566_7788UL, 0x0000_0000_FFFF_FFFFUL)]
    public void ReadsOfAbsentPortsAreAllOnes(ulong size, ulong raxBefore, ulong raxAfter)
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs[X86Reg.Rax] = raxBefore;
        bed.Exit(v, SvmExit.Ioio, info1: (0x3F8UL << 16) | size | In, info2: SvmBed.Entry + 1);
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo(raxAfter));
        Assert.That(v.Regs.Ip, Is.EqualTo(SvmBed.Entry + 1UL));
    }

    [Test]
    public void ByteReadOfPortE9AnswersE9()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        v.Regs[X86Reg.Rax] = 0;
        bed.Exit(v, SvmExit.Ioio, info1: (0xE9UL << 16) | Sz8 | In, info2: SvmBed.Entry + 1);
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo(0xE9UL));
    }

    [TestCase(Str)]
    [TestCase(Str | Rep)]
    [TestCase(Str | Rep | In)]
    public void StringIoIsUndefined(ulong kind)
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        bed.Exit(v, SvmExit.Ioio, info1: (0xE9UL << 16) | Sz8 | kind, info2: SvmBed.Entry + 2);
        Assert.That(SvmBed.VmcbOf(v)->EventInj, Is.EqualTo(0x8000_0306UL));
        Assert.That(v.Regs.Ip, Is.EqualTo((ulong)SvmBed.Entry));
    }
}

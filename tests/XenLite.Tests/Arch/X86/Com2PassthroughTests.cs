using NUnit.Framework;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.X86;

/// <summary>The hardware domain owns COM2 (0x2f8-0x2ff): its byte IN/OUT reach the real port; nobody else's do.</summary>
[Category("svm")]
public unsafe class Com2PassthroughTests
{
    const ulong In = 1, Sz8 = 0x10, Sz16 = 0x20;

    static void Io(SvmBed bed, Vcpu v, ushort port, ulong kind, ulong rax = 0)
    {
        v.Regs[X86Reg.Rax] = rax;
        bed.Exit(v, SvmExit.Ioio, info1: ((ulong)port << 16) | kind, info2: v.Regs.Ip + 1);
    }

    [Test]
    public void HardwareDomainReadsAndWritesTheRealUart()
    {
        using var bed = new SvmBed();
        Domain d = bed.NewPvh(id: 0);
        d.IsHardware = true;
        Vcpu v = d.Vcpus[0];
        bed.Cpu.PortValues[0x2FD] = 0x61;   // LSR: data ready, transmitter empty
        Io(bed, v, 0x2FD, In | Sz8, rax: 0x1234_5600);
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo(0x1234_5661UL), "a byte IN merges into AL");
        Io(bed, v, 0x2F8, Sz8, rax: 'K');
        Io(bed, v, 0x2FF, Sz8, rax: 7);
        Assert.That(bed.Cpu.PortWrites, Is.EqualTo(new[] { ((ushort)0x2F8, (byte)'K'), ((ushort)0x2FF, (byte)7) }));
    }

    [Test]
    public void OtherDomainsAndOtherPortsStayEmulated()
    {
        using var bed = new SvmBed();
        Vcpu domU = bed.NewPvh(id: 1).Vcpus[0];
        bed.Cpu.PortValues[0x2F8] = 0x42;
        Io(bed, domU, 0x2F8, In | Sz8);
        Assert.That(domU.Regs[X86Reg.Rax], Is.EqualTo(0xFFUL), "a domU reads all ones");
        Io(bed, domU, 0x2F8, Sz8, rax: 'x');

        Domain d = bed.NewPvh(id: 0);
        d.IsHardware = true;
        Vcpu v = d.Vcpus[0];
        Io(bed, v, 0x2F7, Sz8, rax: 1);            // just below COM2
        Io(bed, v, 0x300, Sz8, rax: 1);            // just above
        Io(bed, v, 0x2F8, In | Sz16);              // word access: not forwarded
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo(0xFFFFUL));
        Assert.That(bed.Cpu.PortWrites, Is.Empty);
    }
}

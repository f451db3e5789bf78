using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Memory;

[Category("guest_memory")]
public unsafe class GuestMemoryTests
{
    static int CopyFrom(Domain d, ulong addr, byte[] dst)
    {
        fixed (byte* p = dst) return GuestMemory.CopyFrom(d.Vcpus[0], addr, p, (ulong)dst.Length);
    }

    static int CopyTo(Domain d, ulong addr, byte[] src)
    {
        fixed (byte* p = src) return GuestMemory.CopyTo(d.Vcpus[0], addr, p, (ulong)src.Length);
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Arm)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void CopiesAcrossAPageBoundaryBothWays(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        ulong gpa = 0x3000 - 5;
        var data = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        Assert.That(CopyTo(d, TestMachine.GuestAddr(d, gpa), data), Is.EqualTo(0));
        Assert.That(m.Peek(d, gpa, 10), Is.EqualTo(data));
        var back = new byte[10];
        Assert.That(CopyFrom(d, TestMachine.GuestAddr(d, gpa), back), Is.EqualTo(0));
        Assert.That(back, Is.EqualTo(data));
    }

    [Test]
    public void ClearZeroesExactlyTheRange()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        m.Poke(d, 0x1000, new byte[] { 9, 9, 9, 9, 9, 9 });
        Assert.That(GuestMemory.Clear(d.Vcpus[0], 0x1001, 4), Is.EqualTo(0));
        Assert.That(m.Peek(d, 0x1000, 6), Is.EqualTo(new byte[] { 9, 0, 0, 0, 0, 9 }));
    }

    // Copy and Clear move eight bytes at a time with a byte tail: every length and misalignment
    // around a word, straddling a page, must touch exactly the range and nothing beside it.
    [Test]
    public void WordCopiesAndTailsTouchExactlyTheRange([Range(1, 19)] int length, [Values(0x1000, 0x1003, 0x2000 - 11)] int gpa)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var guard = new byte[length + 2];
        System.Array.Fill(guard, (byte)0xAA);
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)(i + 1);

        m.Poke(d, (ulong)gpa - 1, guard);
        Assert.That(CopyTo(d, (ulong)gpa, data), Is.EqualTo(0));
        var expected = (byte[])guard.Clone();
        data.CopyTo(expected, 1);
        Assert.That(m.Peek(d, (ulong)gpa - 1, length + 2), Is.EqualTo(expected), "CopyTo");

        var back = new byte[length + 1];
        back[length] = 0x55;
        fixed (byte* p = back) Assert.That(GuestMemory.CopyFrom(d.Vcpus[0], (ulong)gpa, p, (ulong)length), Is.EqualTo(0));
        Assert.That(back[..length], Is.EqualTo(data), "CopyFrom");
        Assert.That(back[length], Is.EqualTo(0x55), "CopyFrom wrote past the end");

        Assert.That(GuestMemory.Clear(d.Vcpus[0], (ulong)gpa, (ulong)length), Is.EqualTo(0));
        System.Array.Clear(expected, 1, length);
        Assert.That(m.Peek(d, (ulong)gpa - 1, length + 2), Is.EqualTo(expected), "Clear");
    }

    [Test]
    public void ZeroLengthTouchesNothingEvenAtABadAddress()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(GuestMemory.CopyFrom(d.Vcpus[0], 0xFFFF_FFFF_FFFF_0000, null, 0), Is.EqualTo(0));
    }

    [Test]
    public void AddressBeyondGuestRamIsEfault()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, pages: 16);
        Assert.That(CopyFrom(d, 16 * Page.Size, new byte[1]), Is.EqualTo(-Errno.EFAULT));
        Assert.That(CopyTo(d, 16 * Page.Size - 2, new byte[4]), Is.EqualTo(-Errno.EFAULT), "straddling the end");
    }

    [Test]
    public void WrappingRangeIsEfault()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(GuestMemory.Clear(d.Vcpus[0], ulong.MaxValue - 1, 4), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void AFrameOwnedByAnotherDomainIsNeverReachable()
    {
        using var m = new TestMachine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2, privileged: false);
        m.Poke(b, 0, new byte[] { 0x42 });
        // A corrupted p2m entry pointing at b's frame must still be refused by ownership.
        a.P2m.Set(new Gfn(5), b.P2m.Lookup(new Gfn(0)));
        Assert.That(CopyFrom(a, 5 * Page.Size, new byte[1]), Is.EqualTo(-Errno.EFAULT));
        Assert.That(CopyTo(a, 5 * Page.Size, new byte[] { 1 }), Is.EqualTo(-Errno.EFAULT));
        Assert.That(m.Peek(b, 0, 1)[0], Is.EqualTo(0x42));
    }

    [Test]
    public void PvAddressOutsideTheGuestMappingIsEfault()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64);
        Assert.That(CopyFrom(d, 0x1000, new byte[1]), Is.EqualTo(-Errno.EFAULT), "unmapped low address");
        Assert.That(CopyFrom(d, PvPageTables.VirtBase64 + 63 * Page.Size, new byte[1]), Is.EqualTo(-Errno.EFAULT), "page-table frames are not mapped");
    }

    [TestCase(0xFFFF_8000_0000_0000UL)]
    [TestCase(0xFFFF_87FF_FFFF_F000UL)]
    [TestCase(0x0000_8000_0000_0000UL)]
    public void Pv64HypervisorRangeAndNonCanonicalAddressesAreEfault(ulong addr)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64);
        Assert.That(CopyFrom(d, addr, new byte[8]), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void Pv32CannotReachTheCompatHypervisorArea()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv32);
        Assert.That(CopyFrom(d, 0xF580_0000, new byte[1]), Is.EqualTo(-Errno.EFAULT));
        Assert.That(CopyFrom(d, 0x1000, new byte[1]), Is.EqualTo(0));
    }

    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void PvWriteToAReadOnlyMappingIsEfaultButReadWorks(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        PvPageTables.MakeReadOnly(m, d, 7);
        ulong va = TestMachine.GuestAddr(d, 7 * Page.Size);
        Assert.That(CopyFrom(d, va, new byte[4]), Is.EqualTo(0));
        Assert.That(CopyTo(d, va, new byte[4]), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void PvPageTableInAnotherDomainsFrameIsRefused()
    {
        using var m = new TestMachine();
        var a = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        var b = m.NewDomain(GuestMode.Pv64, id: 2, privileged: false);
        // a points its cr3 at b's page tables: the walk must stop at the first foreign frame.
        a.Vcpus[0].Regs.PageTableBase = b.Vcpus[0].Regs.PageTableBase;
        Assert.That(CopyFrom(a, TestMachine.GuestAddr(b, 0x1000), new byte[1]), Is.EqualTo(-Errno.EFAULT));
    }
}

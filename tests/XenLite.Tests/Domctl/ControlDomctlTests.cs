using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.MemoryOp;

namespace XenLite.Tests.Domctl;

/// <summary>max_mem, setdomainhandle, settimeoffset, set_target, I/O permissions, hypercall_init and address size.</summary>
[Category("domctl")]
public unsafe class ControlDomctlTests : OwnershipCheckedTest
{
    [Test]
    public void MaxMemSetsMaxPagesFromKilobytes()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1, pages: 16);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.MaxMem, 1, DomctlRig.With(new DomctlMaxMem { MaxMemKb = 4 * 8 + 3 })), Is.Zero);
        Assert.That(u.MaxPages, Is.EqualTo(8UL), "below tot_pages is allowed: it only stops new allocations");
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.MaxMem, 1, DomctlRig.With(new DomctlMaxMem { MaxMemKb = ulong.MaxValue })), Is.Zero);
        Assert.That(u.MaxPages, Is.EqualTo((ulong)uint.MaxValue), "Xen's max_pages is 32 bits");
        u.MaxPages = 16;
    }

    [Test]
    public void HandleAndTimeOffsetAreStored()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.SetDomainHandle, 1, u8 => { for (int i = 0; i < 16; i++) u8[i] = (byte)(i + 1); }), Is.Zero);
        Assert.That(u.Handle, Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }));
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.SetTimeOffset, 1, DomctlRig.With(new DomctlSetTimeOffset { TimeOffsetSeconds = -3600 })), Is.Zero);
        Assert.That((u.Control.TimeOffsetSeconds, u.Control.TimeOffsetSet), Is.EqualTo((-3600L, true)));
    }

    [Test]
    public void SetTarget()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var dm = m.NewDomain(GuestMode.Pv64, id: 1);
        var hvm = m.NewDomain(GuestMode.Hvm64, id: 2);
        m.NewDomain(GuestMode.Pv64, id: 3);
        var v = d0.Vcpus[0];
        DomctlRig.UnionFill To(ushort t) => DomctlRig.With(new DomctlSetTarget { Target = t });
        Assert.That(m.Domctl(v, DomctlCmd.SetTarget, 1, To(9)), Is.EqualTo(-Errno.ESRCH));
        Assert.That(m.Domctl(v, DomctlCmd.SetTarget, 1, To(1)), Is.EqualTo(-Errno.EINVAL), "itself");
        Assert.That(m.Domctl(v, DomctlCmd.SetTarget, 1, To(3)), Is.EqualTo(-Errno.EOPNOTSUPP), "PV target");
        Assert.That(m.Domctl(v, DomctlCmd.SetTarget, 1, To(2)), Is.Zero);
        Assert.That(dm.Target, Is.SameAs(hvm));
        Assert.That(m.Domctl(v, DomctlCmd.SetTarget, 1, To(2)), Is.EqualTo(-Errno.EINVAL), "one target only");
        Assert.That(m.Domctl(v, DomctlCmd.DestroyDomain, 2), Is.Zero);
        Assert.That(dm.Target, Is.Null, "the target went away");
    }

    [Test]
    public void IomemPermissionGrantsAndRevokesRanges()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1);
        var v = d0.Vcpus[0];
        DomctlRig.UnionFill Io(ulong first, ulong nr, byte allow) => DomctlRig.With(new DomctlIomemPermission { FirstMfn = first, NrMfns = nr, AllowAccess = allow });
        Assert.That(m.Domctl(v, DomctlCmd.IomemPermission, 1, Io(0xFE000, 16, 1)), Is.Zero);
        Assert.That(u.Control.Iomem.ContainsAll(0xFE000, 0xFE00F), Is.True);
        Assert.That(m.Domctl(v, DomctlCmd.IomemPermission, 1, Io(0xFE004, 2, 0)), Is.Zero);
        Assert.That(u.Control.Iomem.Overlaps(0xFE004, 0xFE005), Is.False);
        Assert.That(u.Control.Iomem.ContainsAll(0xFE006, 0xFE00F), Is.True);
        Assert.That(m.Domctl(v, DomctlCmd.IomemPermission, 1, Io(ulong.MaxValue - 1, 4, 1)), Is.EqualTo(-Errno.EINVAL), "wraps");
        // The domU cannot pass on what it was not given, nor is it allowed to try (XSM).
        Assert.That(m.Domctl(u.Vcpus[0], DomctlCmd.IomemPermission, 0, Io(0xFE000, 1, 1)), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void IoportPermission()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1);
        var v = d0.Vcpus[0];
        DomctlRig.UnionFill Io(uint first, uint nr, byte allow) => DomctlRig.With(new DomctlIoportPermission { FirstPort = first, NrPorts = nr, AllowAccess = allow });
        Assert.That(m.Domctl(v, DomctlCmd.IoportPermission, 1, Io(0x3F8, 8, 1)), Is.Zero);
        Assert.That(u.Control.Ioports.ContainsAll(0x3F8, 0x3FF), Is.True);
        Assert.That(m.Domctl(v, DomctlCmd.IoportPermission, 1, Io(0x3F8, 8, 0)), Is.Zero);
        Assert.That(u.Control.Ioports.Count, Is.Zero);
        Assert.That(m.Domctl(v, DomctlCmd.IoportPermission, 1, Io(0xFFFF, 2, 1)), Is.EqualTo(-Errno.EINVAL), "beyond 64K ports");
        Assert.That(m.Domctl(v, DomctlCmd.IoportPermission, 1, Io(0x80, 0, 1)), Is.EqualTo(-Errno.EINVAL), "empty");
    }

    [Test]
    public void IrqPermissionUsesTheCallersPirqs()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1);
        var v = d0.Vcpus[0];
        DomctlRig.UnionFill Irq(uint pirq, byte allow) => DomctlRig.With(new DomctlIrqPermission { Pirq = pirq, AllowAccess = allow });
        Assert.That(m.Domctl(v, DomctlCmd.IrqPermission, 1, Irq(5, 1)), Is.Zero);
        Assert.That(u.Control.Irqs.ContainsAll(5, 5), Is.True);
        Assert.That(m.Domctl(v, DomctlCmd.IrqPermission, 1, Irq(5, 0)), Is.Zero);
        Assert.That(u.Control.Irqs.Overlaps(5, 5), Is.False);
        Assert.That(m.Domctl(v, DomctlCmd.IrqPermission, 1, Irq(256, 1)), Is.EqualTo(-Errno.EINVAL), "beyond the caller's pirqs");
        Assert.That(m.Domctl(v, DomctlCmd.IrqPermission, 1, Irq(0, 1)), Is.EqualTo(-Errno.EPERM), "pirq 0 has no IRQ");
    }

    [Test]
    public void IoportsAndIrqsAreX86Only()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Arm);
        m.NewDomain(GuestMode.Arm, id: 1);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.IoportPermission, 1, DomctlRig.With(new DomctlIoportPermission { FirstPort = 0x80, NrPorts = 1 })), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.IrqPermission, 1, DomctlRig.With(new DomctlIrqPermission { Pirq = 5 })), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.HypercallInit, 1), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.GetAddressSize, 1), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.SetAddressSize, 1, DomctlRig.With(new DomctlAddressSize { Size = 64 })), Is.Zero);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.SetAddressSize, 1, DomctlRig.With(new DomctlAddressSize { Size = 32 })), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void HypercallInitWritesSvmStubsIntoTheGuestFrame()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1, pages: 16);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.HypercallInit, 1, DomctlRig.With(new DomctlHypercallInit { Gmfn = 5 })), Is.Zero);
        // Slot 36 (domctl): mov $36,%eax; vmmcall; ret.
        Assert.That(m.Peek(u, 5 * 4096 + 36 * 32, 9), Is.EqualTo(new byte[] { 0xB8, 36, 0, 0, 0, 0x0F, 0x01, 0xD9, 0xC3 }));
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.HypercallInit, 1, DomctlRig.With(new DomctlHypercallInit { Gmfn = 500 })), Is.EqualTo(-Errno.EINVAL), "no such frame");
        m.NewDomain(GuestMode.Pv64, id: 2);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.HypercallInit, 2, DomctlRig.With(new DomctlHypercallInit { Gmfn = 5 })), Is.EqualTo(-Errno.EOPNOTSUPP), "PV stubs not written");
    }

    [Test]
    public void AddressSizeOnX86()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        m.NewDomain(GuestMode.Pv64, id: 1);
        m.NewDomain(GuestMode.Pv32, id: 2);
        var v = d0.Vcpus[0];
        DomctlRig.UnionFill Size(uint s) => DomctlRig.With(new DomctlAddressSize { Size = s });
        Assert.That(m.Domctl(v, DomctlCmd.GetAddressSize, 1), Is.Zero);
        Assert.That(m.Union<DomctlAddressSize>(v).Size, Is.EqualTo(64u));
        Assert.That(m.Domctl(v, DomctlCmd.GetAddressSize, 2), Is.Zero);
        Assert.That(m.Union<DomctlAddressSize>(v).Size, Is.EqualTo(32u));
        Assert.That(m.Domctl(v, DomctlCmd.GetAddressSize, 0), Is.EqualTo(-Errno.EOPNOTSUPP), "HVM");
        Assert.That(m.Domctl(v, DomctlCmd.SetAddressSize, 1, Size(64)), Is.Zero);
        Assert.That(m.Domctl(v, DomctlCmd.SetAddressSize, 2, Size(32)), Is.Zero);
        Assert.That(m.Domctl(v, DomctlCmd.SetAddressSize, 1, Size(32)), Is.EqualTo(-Errno.EACCES), "it has memory");
        Assert.That(m.Domctl(v, DomctlCmd.SetAddressSize, 1, Size(48)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Domctl(v, DomctlCmd.SetAddressSize, 0, Size(64)), Is.EqualTo(-Errno.EOPNOTSUPP), "HVM");
    }
}

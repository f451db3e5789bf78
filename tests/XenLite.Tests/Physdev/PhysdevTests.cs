using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;
using C = XenLite.Hv.Abi.PhysdevOpCmd;

namespace XenLite.Tests.Physdev;

/// <summary>physdev_op on a machine with no GSIs, no PCI devices and no debug port.</summary>
[Category("physdev_op")]
public class PhysdevTests
{
    const ulong ArgGpa = 0x4000;
    const ulong Unmapped = 0x7FFF_F000;

    static long Op(TestMachine m, Vcpu v, int cmd, ulong gpa = ArgGpa) =>
        m.Call(v, HypercallNumber.PhysdevOp, (ulong)cmd, gpa == Unmapped ? Unmapped : TestMachine.GuestAddr(v.Domain, gpa));

    static long Op<T>(TestMachine m, Vcpu v, int cmd, T arg) where T : unmanaged
    {
        m.PokeStruct(v.Domain, ArgGpa, arg);
        return Op(m, v, cmd);
    }

    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void PvGuestsReservePirqsFromTheTopAndEoiThem(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode, 1).Vcpus[0];
        Assert.That(Op(m, v, C.Eoi, new PhysdevU32 { Value = 31 }), Is.EqualTo(-Errno.EINVAL), "not reserved yet");
        Assert.That(Op(m, v, C.GetFreePirq, new PhysdevGetFreePirq { Type = PhysdevConst.MapPirqTypeMsi }), Is.EqualTo(0));
        Assert.That(m.PeekStruct<PhysdevGetFreePirq>(v.Domain, ArgGpa).Pirq, Is.EqualTo(31));
        Assert.That(Op(m, v, C.Eoi, new PhysdevU32 { Value = 31 }), Is.EqualTo(0));
        Assert.That(Op(m, v, C.Eoi, new PhysdevU32 { Value = 32 }), Is.EqualTo(-Errno.EINVAL), "beyond nr_pirqs");
        for (int i = 0; i < 31; i++) Assert.That(Op(m, v, C.GetFreePirq, new PhysdevGetFreePirq()), Is.EqualTo(0));
        Assert.That(Op(m, v, C.GetFreePirq, new PhysdevGetFreePirq()), Is.EqualTo(-Errno.ENOSPC));
    }

    [Test]
    public void TheHardwareDomainHasMorePirqs()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        Assert.That(Op(m, v, C.GetFreePirq, new PhysdevGetFreePirq()), Is.EqualTo(0));
        Assert.That(m.PeekStruct<PhysdevGetFreePirq>(v.Domain, ArgGpa).Pirq, Is.EqualTo(255));
    }

    [Test]
    public void IrqStatusQuerySaysNeedsEoiInRange()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64, 1).Vcpus[0];
        Assert.That(Op(m, v, C.IrqStatusQuery, new PhysdevIrqStatusQuery { Irq = 5 }), Is.EqualTo(0));
        Assert.That(m.PeekStruct<PhysdevIrqStatusQuery>(v.Domain, ArgGpa).Flags, Is.EqualTo(PhysdevConst.IrqStatNeedsEoi));
        Assert.That(Op(m, v, C.IrqStatusQuery, new PhysdevIrqStatusQuery { Irq = 32 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, v, C.IrqStatusQuery, new PhysdevIrqStatusQuery { Irq = 0xFFFF_FFFF }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, v, C.IrqStatusQuery, Unmapped), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Op(m, v, C.IrqUnmaskNotify), Is.EqualTo(0));
    }

    [TestCase(C.Eoi)]
    [TestCase(C.IrqStatusQuery)]
    [TestCase(C.GetFreePirq)]
    [TestCase(C.SetIopl)]
    [TestCase(C.SetIobitmap)]
    [TestCase(C.ApicRead)]
    [TestCase(C.AllocIrqVector)]
    [TestCase(C.IrqUnmaskNotify)]
    [TestCase(C.PirqEoiGmfnV2)]
    [TestCase(C.ManagePciAdd)]
    [TestCase(C.RestoreMsi)]
    [TestCase(C.PrepareMsix)]
    public void PvhGuestsDoNotGetPirqOrPvCommands(int cmd)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Hvm64, 0);
        Assert.That(Op(m, dom0.Vcpus[0], cmd), Is.EqualTo(-Errno.ENOSYS));
    }

    [TestCase(C.SetupGsi)]
    [TestCase(C.PciMmcfgReserved)]
    [TestCase(C.PciDeviceAdd)]
    [TestCase(C.PciDeviceRemove)]
    [TestCase(C.PciDeviceReset)]
    [TestCase(C.DbgpOp)]
    public void OnlyTheHardwareDomainReachesGsiAndPciCommandsFromHvm(int cmd)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Hvm64, 0);
        var guest = m.NewDomain(GuestMode.Hvm64, 1);
        Assert.That(Op(m, guest.Vcpus[0], cmd), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(Op(m, dom0.Vcpus[0], cmd), Is.Not.EqualTo(-Errno.ENOSYS));
    }

    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Pv32)]
    public void MapPirqFindsNoGsiOrDevice(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode, 0).Vcpus[0];
        Assert.That(Map(m, v, 0, PhysdevConst.MapPirqTypeGsi, 9, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Map(m, v, 0, PhysdevConst.MapPirqTypeMsi, -1, 0), Is.EqualTo(-Errno.ENODEV));
        Assert.That(Map(m, v, 0, PhysdevConst.MapPirqTypeMsi, 40, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Map(m, v, 0, PhysdevConst.MapPirqTypeMultiMsi, -1, 0), Is.EqualTo(-Errno.ENODEV));
        Assert.That(Map(m, v, 0, PhysdevConst.MapPirqTypeMultiMsi, -1, 0x1000), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Map(m, v, 0, 2, 0, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Map(m, v, 9, PhysdevConst.MapPirqTypeGsi, 9, 0), Is.EqualTo(-Errno.ESRCH));
    }

    [Test]
    public void MapPirqRewritesMsiSegToMsiInTheCopyBack()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv32, 0).Vcpus[0];
        Assert.That(Map(m, v, 0, PhysdevConst.MapPirqTypeMsiSeg, -1, 0x1234_0000_0000), Is.EqualTo(-Errno.ENODEV));
        var back = m.PeekStruct<PhysdevMapPirqCompat>(v.Domain, ArgGpa);
        Assert.That(back.Type, Is.EqualTo(PhysdevConst.MapPirqTypeMsi));
        Assert.That(back.TableBase, Is.EqualTo(0x1234_0000_0000UL), "compat table_base sits at 28");
    }

    [Test]
    public void MapAndUnmapPirqNeedDeviceModelPrivilege()
    {
        using var m = new TestMachine();
        m.NewDomain(GuestMode.Pv64, 0);
        var guest = m.NewDomain(GuestMode.Pv64, 1);
        Assert.That(Map(m, guest.Vcpus[0], 0, PhysdevConst.MapPirqTypeGsi, 9, 0), Is.EqualTo(-Errno.EPERM));
        Assert.That(Op(m, guest.Vcpus[0], C.UnmapPirq, new PhysdevUnmapPirq { DomId = 0, Pirq = 3 }), Is.EqualTo(-Errno.EPERM));
        Assert.That(Op(m, guest.Vcpus[0], C.UnmapPirq, new PhysdevUnmapPirq { DomId = 9 }), Is.EqualTo(-Errno.ESRCH));
        Assert.That(Op(m, m.Hv.Lookup(0).Vcpus[0], C.UnmapPirq, new PhysdevUnmapPirq { DomId = 1, Pirq = 3 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, guest.Vcpus[0], C.UnmapPirq, Unmapped), Is.EqualTo(-Errno.EFAULT));
    }

    static long Map(TestMachine m, Vcpu v, ushort domid, int type, int index, ulong tableBase)
    {
        if (GuestModes.Is32Bit(v.Mode))
            return Op(m, v, C.MapPirq, new PhysdevMapPirqCompat { DomId = domid, Type = type, Index = index, Pirq = -1, TableBase = tableBase });
        return Op(m, v, C.MapPirq, new PhysdevMapPirq { DomId = domid, Type = type, Index = index, Pirq = -1, TableBase = tableBase });
    }

    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void ApicAccessIsPrivilegedAndFindsNoIoApic(GuestMode mode)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(mode, 0);
        var guest = m.NewDomain(mode, 1);
        Assert.That(Op(m, guest.Vcpus[0], C.ApicRead, new PhysdevApic { ApicPhysbase = 0xFEC00000 }), Is.EqualTo(-Errno.EPERM));
        Assert.That(Op(m, dom0.Vcpus[0], C.ApicRead, new PhysdevApic { ApicPhysbase = 0xFEC00000 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, dom0.Vcpus[0], C.ApicWrite, new PhysdevApic { ApicPhysbase = 0xFEC00000 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, dom0.Vcpus[0], C.ApicWrite, Unmapped), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void AllocIrqVectorEchoesTheIrqForTheHardwareDomain()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv64, 0);
        var guest = m.NewDomain(GuestMode.Pv64, 1);
        Assert.That(Op(m, dom0.Vcpus[0], C.AllocIrqVector, new PhysdevIrq { Irq = 7 }), Is.EqualTo(0));
        Assert.That(m.PeekStruct<PhysdevIrq>(dom0, ArgGpa).Vector, Is.EqualTo(7));
        Assert.That(Op(m, guest.Vcpus[0], C.AllocIrqVector, new PhysdevIrq { Irq = 7 }), Is.EqualTo(-Errno.EPERM));
        Assert.That(Op(m, dom0.Vcpus[0], C.FreeIrqVector, new PhysdevIrq { Irq = 7 }), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void SetIoplIsPerVcpuUpToThree()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, 1, vcpus: 2);
        Assert.That(Op(m, d.Vcpus[1], C.SetIopl, new PhysdevU32 { Value = 3 }), Is.EqualTo(0));
        Assert.That(d.Physdev.Iopl[1], Is.EqualTo(3));
        Assert.That(d.Physdev.Iopl[0], Is.EqualTo(0));
        Assert.That(Op(m, d.Vcpus[1], C.SetIopl, new PhysdevU32 { Value = 4 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(d.Physdev.Iopl[1], Is.EqualTo(3));
    }

    [Test]
    public void SetIobitmapChecksThePortCountAndTheBitmapRange()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, 1);
        ulong bitmap = TestMachine.GuestAddr(d, 0x8000);
        Assert.That(Op(m, d.Vcpus[0], C.SetIobitmap, new PhysdevSetIobitmap { Bitmap = bitmap, NrPorts = 65537 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, d.Vcpus[0], C.SetIobitmap, new PhysdevSetIobitmap { Bitmap = ulong.MaxValue - 100, NrPorts = 10 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, d.Vcpus[0], C.SetIobitmap, new PhysdevSetIobitmap { Bitmap = bitmap, NrPorts = 1024 }), Is.EqualTo(0));
        Assert.That(d.Physdev.IoBitmap[0], Is.EqualTo(bitmap));
        Assert.That(d.Physdev.IoBitmapPorts[0], Is.EqualTo(1024));
    }

    [Test]
    public void SetIobitmapFromA32BitGuestUsesTheCompatLayout()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv32, 1);
        uint bitmap = (uint)TestMachine.GuestAddr(d, 0x8000);
        Assert.That(Op(m, d.Vcpus[0], C.SetIobitmap, new PhysdevSetIobitmapCompat { Bitmap = bitmap, NrPorts = 64 }), Is.EqualTo(0));
        Assert.That(d.Physdev.IoBitmap[0], Is.EqualTo((ulong)bitmap));
        Assert.That(d.Physdev.IoBitmapPorts[0], Is.EqualTo(64));
    }

    [TestCase(GuestMode.Pv64, C.PirqEoiGmfnV2, false)]
    [TestCase(GuestMode.Pv32, C.PirqEoiGmfnV1, true)]
    public void PirqEoiFrameIsOneOfOurOwnAndSetOnce(GuestMode mode, int cmd, bool autoUnmask)
    {
        using var m = new TestMachine();
        var other = m.NewDomain(mode, 2);
        var d = m.NewDomain(mode, 1);
        ulong own = d.P2m.Lookup(new Gfn(5)).Value, foreign = other.P2m.Lookup(new Gfn(5)).Value;
        Assert.That(Op(m, d.Vcpus[0], cmd, new PhysdevPirqEoiGmfn { Gmfn = foreign }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, d.Vcpus[0], cmd, new PhysdevPirqEoiGmfn { Gmfn = own }), Is.EqualTo(0));
        Assert.That(d.Physdev.EoiMapGfn, Is.EqualTo(own));
        Assert.That(d.Physdev.AutoUnmask, Is.EqualTo(autoUnmask));
        Assert.That(Op(m, d.Vcpus[0], cmd, new PhysdevPirqEoiGmfn { Gmfn = own }), Is.EqualTo(-Errno.EBUSY));
    }

    [Test]
    public void PciCommandsCheckXsmThenFindNoDevice()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        var guest = m.NewDomain(GuestMode.Pv64, 1).Vcpus[0];
        foreach (int cmd in new[] { C.ManagePciAdd, C.ManagePciRemove, C.PciDeviceAdd, C.PciDeviceRemove, C.PciDeviceReset, C.PrepareMsix, C.ReleaseMsix })
        {
            Assert.That(Op(m, guest, cmd, new PhysdevPciDeviceAdd { Bus = 1 }), Is.EqualTo(-Errno.EPERM), $"cmd {cmd} unprivileged");
            Assert.That(Op(m, dom0, cmd, new PhysdevPciDeviceAdd { Bus = 1 }), Is.EqualTo(-Errno.ENODEV), $"cmd {cmd} privileged");
            Assert.That(Op(m, dom0, cmd, Unmapped), Is.EqualTo(-Errno.EFAULT), $"cmd {cmd} bad pointer");
        }
        Assert.That(Op(m, guest, C.RestoreMsi, new PhysdevManagePci()), Is.EqualTo(-Errno.ENODEV), "no XSM hook on restore_msi");
        Assert.That(Op(m, guest, C.RestoreMsiExt, new PhysdevPciDevice()), Is.EqualTo(-Errno.ENODEV));
    }

    [Test]
    public void PciArgumentChecksComeFirst()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        Assert.That(Op(m, dom0, C.ManagePciAddExt, new PhysdevManagePciExt { IsExtfn = 2 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, dom0, C.ManagePciAddExt, new PhysdevManagePciExt { IsVirtfn = 1 }), Is.EqualTo(-Errno.ENODEV));
        Assert.That(Op(m, dom0, C.PciDeviceReset, new PhysdevPciDeviceReset { Flags = 4 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, dom0, C.SetupGsi, new PhysdevSetupGsi { Gsi = 9 }), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void PciDeviceAddReadsThePxmOnlyWhenFlagged()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, 0);
        var v = d.Vcpus[0];
        // The struct ends 12 bytes before a page boundary: the PXM word would be on the next (unmapped) page.
        ulong gpa = 60 * 4096 - 12; // the harness maps a PV guest's first 60 of 64 frames
        m.PokeStruct(d, gpa, new PhysdevPciDeviceAdd { Flags = 0 });
        Assert.That(m.Call(v, HypercallNumber.PhysdevOp, C.PciDeviceAdd, TestMachine.GuestAddr(d, gpa)), Is.EqualTo(-Errno.ENODEV));
        m.PokeStruct(d, gpa, new PhysdevPciDeviceAdd { Flags = 4 });
        Assert.That(m.Call(v, HypercallNumber.PhysdevOp, C.PciDeviceAdd, TestMachine.GuestAddr(d, gpa)), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void MmcfgReservedIsPrivilegedThenChecksFlags()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        var guest = m.NewDomain(GuestMode.Pv64, 1).Vcpus[0];
        Assert.That(Op(m, guest, C.PciMmcfgReserved, Unmapped), Is.EqualTo(-Errno.EPERM), "XSM before the copy");
        Assert.That(Op(m, dom0, C.PciMmcfgReserved, new PhysdevPciMmcfgReserved { Flags = 2 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Op(m, dom0, C.PciMmcfgReserved, new PhysdevPciMmcfgReserved { Address = 0xE0000000, Flags = 1 }), Is.EqualTo(-Errno.ENODEV));
    }

    [Test]
    public void DbgpOpIsTheHardwareDomainsAndHasNoPortToReset()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        var guest = m.NewDomain(GuestMode.Pv64, 1).Vcpus[0];
        Assert.That(Op(m, guest, C.DbgpOp, new PhysdevDbgpOp { Op = 1 }), Is.EqualTo(-Errno.EPERM));
        Assert.That(Op(m, dom0, C.DbgpOp, new PhysdevDbgpOp { Op = 1 }), Is.EqualTo(0));
        Assert.That(Op(m, dom0, C.DbgpOp, Unmapped), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(C.Eoi)]
    [TestCase(C.MapPirq)]
    [TestCase(C.PciDeviceAdd)]
    [TestCase(99)]
    public void ArmHasNoPciSupport(int cmd)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Arm, 0).Vcpus[0];
        Assert.That(Op(m, v, cmd), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void UnknownCommandsAreEnosys()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        Assert.That(Op(m, v, 18), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(Op(m, v, 33), Is.EqualTo(-Errno.ENOSYS));
    }
}

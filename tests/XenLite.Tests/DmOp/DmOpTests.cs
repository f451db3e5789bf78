using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.DmOp.DmOpRig;
using O = XenLite.Hv.Abi.XenDmop;

namespace XenLite.Tests.DmOp;

/// <summary>dm_op: the buffer ABI, who may call it, and each XEN_DMOP_* without ioreq servers.</summary>
[Category("dm_op")]
public class DmOpTests
{
    static (Vcpu Dm, Domain Guest) Rig(TestMachine m, GuestMode mode = GuestMode.Hvm64) =>
        (m.NewDomain(mode, 0).Vcpus[0], m.NewDomain(mode, 1, vcpus: 2));

    [Test]
    public void BufferCountIsCheckedFirst()
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m);
        Assert.That(m.Call(dm, HypercallNumber.DmOp, 1, 0, Unmapped), Is.EqualTo(-Errno.ENODATA));
        Assert.That(m.Call(dm, HypercallNumber.DmOp, 1, 3, Unmapped), Is.EqualTo(-Errno.E2BIG));
        Assert.That(m.Call(dm, HypercallNumber.DmOp, 1, 1, Unmapped), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void TheTargetMustBeAnotherExistingHvmDomain()
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m);
        m.NewDomain(GuestMode.Pv64, 2);
        Assert.That(Call(m, dm, 0, O.NrVcpus, new XenDmOpNrVcpus()), Is.EqualTo(-Errno.EPERM));
        Assert.That(Call(m, dm, DomainIds.Self, O.NrVcpus, new XenDmOpNrVcpus()), Is.EqualTo(-Errno.ESRCH));
        Assert.That(Call(m, dm, 9, O.NrVcpus, new XenDmOpNrVcpus()), Is.EqualTo(-Errno.ESRCH));
        Assert.That(Call(m, dm, 2, O.NrVcpus, new XenDmOpNrVcpus()), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void OnlyTheTargetsDeviceModelOrThePrivilegedMayCall()
    {
        using var m = new TestMachine();
        var (_, guest) = Rig(m);
        var other = m.NewDomain(GuestMode.Hvm64, 2);
        Assert.That(Call(m, other.Vcpus[0], 1, O.NrVcpus, new XenDmOpNrVcpus()), Is.EqualTo(-Errno.EPERM));
        other.Target = guest;
        Assert.That(Call(m, other.Vcpus[0], 1, O.NrVcpus, new XenDmOpNrVcpus()), Is.EqualTo(0));
        Assert.That(Result<XenDmOpNrVcpus>(m, other.Vcpus[0]).Vcpus, Is.EqualTo(2));
    }

    [Test]
    public void TheFirstBufferMustHoldTheHeaderAndTheSubOp()
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m);
        Assert.That(Call(m, dm, 1, O.NrVcpus, new XenDmOpNrVcpus(), buf0Size: 7), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Call(m, dm, 1, O.InjectEvent, new XenDmOpInjectEvent(), buf0Size: 8 + 23), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Call(m, dm, 1, O.NrVcpus, new XenDmOpNrVcpus(), pad: 1), Is.EqualTo(-Errno.EINVAL));
    }

    [TestCase(0)]
    [TestCase(O.SetIrqLevel)]
    [TestCase(O.TableSize)]
    [TestCase(1000)]
    public void UnknownOrForeignSubOpsAreEopnotsupp(int op)
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m);
        Assert.That(Call(m, dm, 1, op, new XenDmOpSetIrqLevel()), Is.EqualTo(-Errno.EOPNOTSUPP));
    }

    [Test]
    public void ThirtyTwoBitDeviceModelsUseCompatBuffers()
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m, GuestMode.Hvm32);
        Assert.That(Call(m, dm, 1, O.NrVcpus, new XenDmOpNrVcpus()), Is.EqualTo(0));
        Assert.That(Result<XenDmOpNrVcpus>(m, dm).Vcpus, Is.EqualTo(2));
    }

    [Test]
    public void IoreqServersDoNotExist()
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m);
        Assert.That(Call(m, dm, 1, O.CreateIoreqServer, new XenDmOpCreateIoreqServer { HandleBufioreq = 1 }), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(Call(m, dm, 1, O.CreateIoreqServer, new XenDmOpCreateIoreqServer { HandleBufioreq = 3 }), Is.EqualTo(-Errno.EINVAL));
        var padded = new XenDmOpCreateIoreqServer();
        unsafe { padded.Pad[1] = 1; }
        Assert.That(Call(m, dm, 1, O.CreateIoreqServer, padded), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.GetIoreqServerInfo, new XenDmOpGetIoreqServerInfo { Flags = 2 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.GetIoreqServerInfo, new XenDmOpGetIoreqServerInfo { Flags = 1 }), Is.EqualTo(-Errno.ENOENT));
        Assert.That(Call(m, dm, 1, O.MapIoRangeToIoreqServer, new XenDmOpIoreqServerRange { Pad = 1 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.MapIoRangeToIoreqServer, new XenDmOpIoreqServerRange { Start = 1, End = 2 }), Is.EqualTo(-Errno.ENOENT));
        Assert.That(Call(m, dm, 1, O.UnmapIoRangeFromIoreqServer, new XenDmOpIoreqServerRange()), Is.EqualTo(-Errno.ENOENT));
        Assert.That(Call(m, dm, 1, O.SetIoreqServerState, new XenDmOpSetIoreqServerState { Pad = 1 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.SetIoreqServerState, new XenDmOpSetIoreqServerState { Enabled = 1 }), Is.EqualTo(-Errno.ENOENT));
        Assert.That(Call(m, dm, 1, O.DestroyIoreqServer, new XenDmOpDestroyIoreqServer { Pad = 1 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.DestroyIoreqServer, new XenDmOpDestroyIoreqServer()), Is.EqualTo(-Errno.ENOENT));
        Assert.That(Call(m, dm, 1, O.MapMemTypeToIoreqServer, new XenDmOpMapMemTypeToIoreqServer { Type = HvmMemType.RamRw }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.MapMemTypeToIoreqServer, new XenDmOpMapMemTypeToIoreqServer { Type = HvmMemType.IoreqServer, Flags = 1 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.MapMemTypeToIoreqServer, new XenDmOpMapMemTypeToIoreqServer { Type = HvmMemType.IoreqServer, Flags = 2 }), Is.EqualTo(-Errno.ENOENT));
        Assert.That(Call(m, dm, 1, O.MapMemTypeToIoreqServer, new XenDmOpMapMemTypeToIoreqServer { Opaque = 0x100 }), Is.EqualTo(0));
    }

    [TestCase((ushort)0, (byte)0, (byte)0x1f, (byte)3, (byte)1, 0)]
    [TestCase((ushort)1, (byte)0, (byte)0, (byte)0, (byte)0, -Errno.EINVAL)]
    [TestCase((ushort)0, (byte)1, (byte)0, (byte)0, (byte)0, -Errno.EINVAL)]
    [TestCase((ushort)0, (byte)0, (byte)0x20, (byte)0, (byte)0, -Errno.EINVAL)]
    [TestCase((ushort)0, (byte)0, (byte)0, (byte)4, (byte)0, -Errno.EINVAL)]
    [TestCase((ushort)0, (byte)0, (byte)0, (byte)0, (byte)2, -Errno.EINVAL)]
    public void PciIntxLevelIsValidated(ushort seg, byte bus, byte dev, byte intx, byte level, int rc)
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m);
        Assert.That(Call(m, dm, 1, O.SetPciIntxLevel, new XenDmOpSetPciIntxLevel { Domain = seg, Bus = bus, Device = dev, Intx = intx, Level = level }), Is.EqualTo(rc));
    }

    [TestCase((byte)15, (byte)1, 0)]
    [TestCase((byte)16, (byte)1, -Errno.EINVAL)]
    [TestCase((byte)3, (byte)2, -Errno.EINVAL)]
    public void IsaIrqLevelIsValidated(byte irq, byte level, int rc)
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m);
        Assert.That(Call(m, dm, 1, O.SetIsaIrqLevel, new XenDmOpSetIsaIrqLevel { IsaIrq = irq, Level = level }), Is.EqualTo(rc));
    }

    [Test]
    public void PciLinkRoutesAreRecorded()
    {
        using var m = new TestMachine();
        var (dm, guest) = Rig(m);
        Assert.That(Call(m, dm, 1, O.SetPciLinkRoute, new XenDmOpSetPciLinkRoute { Link = 2, IsaIrq = 11 }), Is.EqualTo(0));
        Assert.That(guest.Dm.PciLinkRoute[2], Is.EqualTo(11));
        Assert.That(Call(m, dm, 1, O.SetPciLinkRoute, new XenDmOpSetPciLinkRoute { Link = 4 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.SetPciLinkRoute, new XenDmOpSetPciLinkRoute { Link = 0, IsaIrq = 16 }), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void ModifiedMemoryNeedsTwoBuffersAndMarksNothingWithoutLogDirty()
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m);
        Assert.That(Call(m, dm, 1, O.ModifiedMemory, new XenDmOpModifiedMemory { NrExtents = 1 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.ModifiedMemory, new XenDmOpModifiedMemory { NrExtents = 1 }, nrBufs: 2, buf1Size: 16), Is.EqualTo(0));
    }

    [Test]
    public void TrackDirtyVramChecksThenNeedsLogDirty()
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m);
        Assert.That(Call(m, dm, 1, O.TrackDirtyVram, new XenDmOpTrackDirtyVram { Nr = 8 }), Is.EqualTo(-Errno.EINVAL), "one buffer");
        Assert.That(Call(m, dm, 1, O.TrackDirtyVram, new XenDmOpTrackDirtyVram { Nr = 8, Pad = 1 }, nrBufs: 2, buf1Size: 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.TrackDirtyVram, new XenDmOpTrackDirtyVram { Nr = 262145 }, nrBufs: 2, buf1Size: 1 << 20), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.TrackDirtyVram, new XenDmOpTrackDirtyVram { Nr = 9 }, nrBufs: 2, buf1Size: 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.TrackDirtyVram, new XenDmOpTrackDirtyVram { Nr = 0 }, nrBufs: 2), Is.EqualTo(0));
        Assert.That(Call(m, dm, 1, O.TrackDirtyVram, new XenDmOpTrackDirtyVram { Nr = 8 }, nrBufs: 2, buf1Size: 1), Is.EqualTo(-Errno.EOPNOTSUPP));
    }

    [Test]
    public void SetMemTypeChecksRangeAndType()
    {
        using var m = new TestMachine();
        var (dm, guest) = Rig(m);
        Assert.That(Call(m, dm, 1, O.SetMemType, new XenDmOpSetMemType { FirstPfn = 2, Nr = 4, MemType = HvmMemType.RamRw }), Is.EqualTo(0));
        Assert.That(Call(m, dm, 1, O.SetMemType, new XenDmOpSetMemType { FirstPfn = 2, Nr = 0 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.SetMemType, new XenDmOpSetMemType { FirstPfn = guest.P2m.MaxMappedGfn, Nr = 2 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.SetMemType, new XenDmOpSetMemType { FirstPfn = 2, Nr = 1, MemType = HvmMemType.Unused }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.SetMemType, new XenDmOpSetMemType { FirstPfn = 2, Nr = 1, MemType = 5 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.SetMemType, new XenDmOpSetMemType { FirstPfn = 2, Nr = 1, MemType = HvmMemType.IoreqServer }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.SetMemType, new XenDmOpSetMemType { FirstPfn = 2, Nr = 1, MemType = HvmMemType.RamRo }), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(Call(m, dm, 1, O.SetMemType, new XenDmOpSetMemType { FirstPfn = 2, Nr = 1, Pad = 1 }), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void InjectEventIsHeldOnePerVcpu()
    {
        using var m = new TestMachine();
        var (dm, guest) = Rig(m);
        var ev = new XenDmOpInjectEvent { VcpuId = 1, Vector = 14, Type = 3, ErrorCode = 2 };
        Assert.That(Call(m, dm, 1, O.InjectEvent, ev), Is.EqualTo(0));
        Assert.That(guest.Dm.EventPending[1], Is.True);
        Assert.That(guest.Dm.EventVector[1], Is.EqualTo(14));
        Assert.That(Call(m, dm, 1, O.InjectEvent, ev), Is.EqualTo(-Errno.EBUSY));
        Assert.That(Call(m, dm, 1, O.InjectEvent, new XenDmOpInjectEvent { VcpuId = 2 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.InjectEvent, new XenDmOpInjectEvent { Pad1 = 1 }), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void InjectMsiAndRelocateMemoryAreNotSupported()
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m);
        Assert.That(Call(m, dm, 1, O.InjectMsi, new XenDmOpInjectMsi { Pad = 1 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.InjectMsi, new XenDmOpInjectMsi { Addr = 0xFEE00000, Data = 0x30 }), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(Call(m, dm, 1, O.RelocateMemory, new XenDmOpRelocateMemory { Pad = 1 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.RelocateMemory, new XenDmOpRelocateMemory { Size = 1 }), Is.EqualTo(-Errno.EOPNOTSUPP));
    }

    [Test]
    public void RemoteShutdownShutsTheTargetDown()
    {
        using var m = new TestMachine();
        var (dm, guest) = Rig(m);
        Assert.That(Call(m, dm, 1, O.RemoteShutdown, new XenDmOpRemoteShutdown { Reason = ShutdownReason.Reboot }), Is.EqualTo(0));
        Assert.That(guest.IsShutdown, Is.True);
        Assert.That(guest.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Reboot));
    }

    [Test]
    public void PinnedCacheAttributesAreKeptPerRange()
    {
        using var m = new TestMachine();
        var (dm, guest) = Rig(m);
        XenDmOpPinMemoryCacheattr Pin(ulong s, ulong e, uint t) => new() { Start = s, End = e, Type = t };
        Assert.That(Call(m, dm, 1, O.PinMemoryCacheattr, Pin(0x10, 0x1F, 6)), Is.EqualTo(0));
        Assert.That(Call(m, dm, 1, O.PinMemoryCacheattr, Pin(0x10, 0x1F, 0)), Is.EqualTo(0), "same range: new type");
        Assert.That(guest.Dm.PinType[0], Is.EqualTo(0));
        Assert.That(Call(m, dm, 1, O.PinMemoryCacheattr, Pin(0x18, 0x2F, 6)), Is.EqualTo(-Errno.EBUSY));
        Assert.That(Call(m, dm, 1, O.PinMemoryCacheattr, Pin(0x30, 0x3F, 5)), Is.EqualTo(-Errno.EINVAL), "WP");
        Assert.That(Call(m, dm, 1, O.PinMemoryCacheattr, Pin(0x3F, 0x30, 6)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.PinMemoryCacheattr, Pin(0x10, 0x1F, O.DeleteMemCacheattr)), Is.EqualTo(0));
        Assert.That(guest.Dm.PinCount, Is.EqualTo(0));
        Assert.That(Call(m, dm, 1, O.PinMemoryCacheattr, Pin(0x10, 0x1F, O.DeleteMemCacheattr)), Is.EqualTo(-Errno.ENOENT));
        Assert.That(Call(m, dm, 1, O.PinMemoryCacheattr, new XenDmOpPinMemoryCacheattr { Pad = 1 }), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void ArmHasSetIrqLevelForSpis()
    {
        using var m = new TestMachine();
        var (dm, _) = Rig(m, GuestMode.Arm);
        Assert.That(Call(m, dm, 1, O.SetIrqLevel, new XenDmOpSetIrqLevel { Irq = 40, Level = 1 }), Is.EqualTo(0));
        Assert.That(Call(m, dm, 1, O.SetIrqLevel, new XenDmOpSetIrqLevel { Irq = 31, Level = 1 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.SetIrqLevel, new XenDmOpSetIrqLevel { Irq = 64, Level = 1 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.SetIrqLevel, new XenDmOpSetIrqLevel { Irq = 40, Level = 2 }), Is.EqualTo(-Errno.EINVAL));
        var padded = new XenDmOpSetIrqLevel { Irq = 40 };
        unsafe { padded.Pad[2] = 1; }
        Assert.That(Call(m, dm, 1, O.SetIrqLevel, padded), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, dm, 1, O.NrVcpus, new XenDmOpNrVcpus()), Is.EqualTo(0));
        Assert.That(Result<XenDmOpNrVcpus>(m, dm).Vcpus, Is.EqualTo(2));
        Assert.That(Call(m, dm, 1, O.SetPciIntxLevel, new XenDmOpSetPciIntxLevel()), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(Call(m, dm, 1, O.CreateIoreqServer, new XenDmOpCreateIoreqServer()), Is.EqualTo(-Errno.EOPNOTSUPP));
    }
}

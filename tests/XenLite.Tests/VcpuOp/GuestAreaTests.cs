using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Events;
using XenLite.Tests.Harness;
using static XenLite.Tests.VcpuOp.VcpuOpRig;

namespace XenLite.Tests.VcpuOp;

[Category("vcpu_op")]
public unsafe class GuestAreaTests
{
    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Arm)]
    public void RegisterVcpuInfoMovesItAndRaisesAnUpcall(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        var v = d.Vcpus[0];
        var reg = new VcpuRegisterVcpuInfo { Mfn = AreaGfn, Offset = 64 };
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterVcpuInfo, 0, reg), Is.Zero);
        Assert.That(v.Events.Info == m.HostPtr(d, AreaGfn * 4096 + 64), Is.True);
        var layout = d.SharedInfo.Layout;
        Assert.That(m.Peek(d, AreaGfn * 4096 + 64 + (ulong)layout.PendingSel, layout.BitsPerWord / 8), Is.All.EqualTo(0xFF), "every selector bit");
        Assert.That(m.Peek(d, AreaGfn * 4096 + 64, 1)[0], Is.EqualTo(1), "evtchn_upcall_pending");
        var t = m.PeekStruct<VcpuTimeInfo>(d, AreaGfn * 4096 + 64 + (ulong)layout.Time);
        Assert.That(t.Version % 2 == 0 && t.TscToSystemMul != 0, Is.True, "time record republished");
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterVcpuInfo, 0, reg), Is.EqualTo(-Errno.EBUSY));
    }

    [Test]
    public void RegisterVcpuInfoRefusals()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, vcpus: 2);
        var v = d.Vcpus[0];
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterVcpuInfo, 1, new VcpuRegisterVcpuInfo { Mfn = AreaGfn, Offset = 4096 }), Is.EqualTo(-Errno.EINVAL), "offset beyond the page");
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterVcpuInfo, 1, new VcpuRegisterVcpuInfo { Mfn = AreaGfn, Offset = 4096 - 32 }), Is.EqualTo(-Errno.ENXIO), "crosses the page");
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterVcpuInfo, 1, new VcpuRegisterVcpuInfo { Mfn = AreaGfn, Offset = 4 }), Is.EqualTo(-Errno.ENXIO), "misaligned");
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterVcpuInfo, 1, new VcpuRegisterVcpuInfo { Mfn = 0x9999, Offset = 0 }), Is.EqualTo(-Errno.EINVAL), "no such frame");
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterVcpuInfo, 1, 0x7FFF_0000UL), Is.EqualTo(-Errno.EFAULT));
        Assert.That(d.Vcpus[1].Events.InfoRegistered, Is.False);
    }

    [Test]
    public void EventsArriveInTheRegisteredVcpuInfo()
    {
        using var m = new TestMachine();
        var a = m.NewDomain(GuestMode.Pv64);
        var b = m.NewDomain(GuestMode.Hvm64, id: 1, vcpus: 2);
        Assert.That(m.VcpuOp(b.Vcpus[0], VcpuOpCmd.RegisterVcpuInfo, 1, new VcpuRegisterVcpuInfo { Mfn = AreaGfn }), Is.Zero);
        m.PokeStruct(b, AreaGfn * 4096, new VcpuInfoX86_64());   // the guest handled the registration upcall
        var (pa, pb) = m.Connect(a, b);
        Assert.That(m.BindVcpu(b.Vcpus[0], pb, 1), Is.Zero);
        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        var info = m.PeekStruct<VcpuInfoX86_64>(b, AreaGfn * 4096);
        Assert.That(info.EvtchnUpcallPending, Is.EqualTo(1));
        Assert.That(info.EvtchnPendingSel, Is.EqualTo(1UL << (int)(pb / 64)));
    }

    [Test]
    public void VcpuBeyondTheLegacySlotsHasNoVcpuInfoUntilItRegistersOne()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Arm, vcpus: 2);
        Assert.That(d.Vcpus[1].Events.Info == null, Is.True, "arm shared_info has one vcpu_info slot");
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.RegisterVcpuInfo, 1, new VcpuRegisterVcpuInfo { Mfn = AreaGfn }), Is.Zero);
        Assert.That(d.Vcpus[1].Events.Info == null, Is.False);
    }

    [TestCase(GuestMode.Pv64, false)]
    [TestCase(GuestMode.Hvm64, false)]
    [TestCase(GuestMode.Pv32, true)]
    [TestCase(GuestMode.Hvm32, true)]
    public void RunstateAreaIsWrittenOnRegistrationInTheCallersLayout(GuestMode mode, bool compat)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, vcpus: 2);
        m.Platform.Now = 5_000;
        ulong area = TestMachine.GuestAddr(d, 0x3000);
        long rc = compat ? m.VcpuOp(d.Vcpus[0], VcpuOpCmd.RegisterRunstateMemoryArea, 1, (uint)area)
                         : m.VcpuOp(d.Vcpus[0], VcpuOpCmd.RegisterRunstateMemoryArea, 1, new VcpuRegisterMemoryArea { Addr = area });
        Assert.That(rc, Is.Zero);
        if (compat)
        {
            var r = m.PeekStruct<VcpuRunstateInfoCompat>(d, 0x3000);
            Assert.That((r.State, r.Time[RunstateState.Offline]), Is.EqualTo((RunstateState.Offline, 5_000UL)));
        }
        else
        {
            var r = m.PeekStruct<VcpuRunstateInfo>(d, 0x3000);
            Assert.That((r.State, r.Time[RunstateState.Offline]), Is.EqualTo((RunstateState.Offline, 5_000UL)));
        }
    }

    [Test]
    public void RunstateAreaRefusesAnAddressOutsideTheGuest()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.RegisterRunstateMemoryArea, 0, new VcpuRegisterMemoryArea { Addr = 0x0000_8000_0000_0000UL }), Is.EqualTo(-Errno.EFAULT), "non-canonical");
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.RegisterRunstateMemoryArea, 0, 0x7FFF_0000UL), Is.EqualTo(-Errno.EFAULT), "argument unreadable");
    }

    [Test]
    public void GetRunstateInfoAccountsTimeInEachState()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, vcpus: 2);
        var v = d.Vcpus[0];
        m.Platform.Now = 1_000;
        Assert.That(m.VcpuOp(v, VcpuOpCmd.GetRunstateInfo, 0, new VcpuRunstateInfo()), Is.Zero);
        m.Platform.Now = 4_000;
        Assert.That(m.VcpuOp(v, VcpuOpCmd.GetRunstateInfo, 0, new VcpuRunstateInfo()), Is.Zero);
        var r = m.PeekStruct<VcpuRunstateInfo>(d, ArgGpa);
        Assert.That(r.State, Is.EqualTo(RunstateState.Running));
        Assert.That((r.Time[RunstateState.Offline], r.Time[RunstateState.Running], r.StateEntryTime), Is.EqualTo((1_000UL, 3_000UL, 1_000UL)));
        Assert.That(m.VcpuOp(v, VcpuOpCmd.GetRunstateInfo, 1, new VcpuRunstateInfo()), Is.Zero);
        Assert.That(m.PeekStruct<VcpuRunstateInfo>(d, ArgGpa).State, Is.EqualTo(RunstateState.Offline));
        Assert.That(m.VcpuOp(v, VcpuOpCmd.GetRunstateInfo, 0, 0x7FFF_0000UL), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void RunstatePhysAreaIsKeptUpToDate()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        ulong gpa = AreaGfn * 4096 + 8;
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterRunstatePhysArea, 0, new VcpuRegisterMemoryArea { Addr = gpa }), Is.Zero);
        m.Platform.Now = 7_000;
        XenLite.Hv.Common.Vcpus.Runstate.Change(v, RunstateState.Blocked, 7_000);
        var r = m.PeekStruct<VcpuRunstateInfo>(d, gpa);
        Assert.That((r.State, r.StateEntryTime), Is.EqualTo((RunstateState.Blocked, 7_000UL)));
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterRunstatePhysArea, 0, new VcpuRegisterMemoryArea { Addr = AreaGfn * 4096 + 4096 - 16 }), Is.EqualTo(-Errno.ENXIO), "crosses the page");
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterRunstatePhysArea, 0, new VcpuRegisterMemoryArea { Addr = AreaGfn * 4096 + 4 }), Is.EqualTo(-Errno.ENXIO), "misaligned");
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterRunstatePhysArea, 0, new VcpuRegisterMemoryArea { Addr = 0x9999UL * 4096 }), Is.EqualTo(-Errno.EINVAL), "no such frame");
    }

    [Test]
    public void TimeAreasGetTheVcpuTimeRecord()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        m.Platform.Now = 123_456;
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterVcpuTimeMemoryArea, 0, new VcpuRegisterMemoryArea { Addr = 0x3000 }), Is.Zero);
        var t = m.PeekStruct<VcpuTimeInfo>(d, 0x3000);
        Assert.That((t.Version % 2, t.SystemTime), Is.EqualTo((0u, 123_456UL)));
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterVcpuTimePhysArea, 0, new VcpuRegisterMemoryArea { Addr = AreaGfn * 4096 + 32 }), Is.Zero);
        t = m.PeekStruct<VcpuTimeInfo>(d, AreaGfn * 4096 + 32);
        Assert.That((t.Version % 2, t.SystemTime), Is.EqualTo((0u, 123_456UL)));
        Assert.That(m.VcpuOp(v, VcpuOpCmd.RegisterVcpuTimePhysArea, 0, new VcpuRegisterMemoryArea { Addr = AreaGfn * 4096 + 4080 }), Is.EqualTo(-Errno.ENXIO));
    }
}

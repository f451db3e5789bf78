using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Hv.Common.Vcpus;
using XenLite.Tests.Events;
using XenLite.Tests.Harness;
using XenLite.Tests.Sched;
using static XenLite.Tests.VcpuOp.VcpuOpRig;

namespace XenLite.Tests.VcpuOp;

[Category("vcpu_op")]
public unsafe class VcpuTimeTests
{
    static uint BindTimer(TestMachine m, Vcpu v)
    {
        Assert.That(m.BindVirq(v, Virq.Timer, (uint)v.Id, out uint p), Is.Zero);
        return p;
    }

    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Hvm32)]
    public void SingleshotTimerFiresNoEarlierThanRequested(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        var v = d.Vcpus[0];
        uint p = BindTimer(m, v);
        m.Platform.Now = 1_000_000;
        long rc = GuestModes.Is32Bit(mode)
            ? m.VcpuOp(v, VcpuOpCmd.SetSingleshotTimer, 0, new VcpuSetSingleshotTimerCompat { TimeoutAbsNs = 3_000_000 })
            : m.VcpuOp(v, VcpuOpCmd.SetSingleshotTimer, 0, new VcpuSetSingleshotTimer { TimeoutAbsNs = 3_000_000 });
        Assert.That(rc, Is.Zero);
        m.TickAt(2_999_999);
        Assert.That(EvtchnRig.Pending(d, p), Is.False);
        m.TickAt(3_000_000);
        Assert.That(EvtchnRig.Pending(d, p), Is.True);
    }

    [Test]
    public void PastDeadlineFiresAtOnceEvenWithTheFutureFlag()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        uint p = BindTimer(m, v);
        m.Platform.Now = 5_000;
        var set = new VcpuSetSingleshotTimer { TimeoutAbsNs = 4_000, Flags = VcpuSetSingleshotTimer.Future };
        Assert.That(m.VcpuOp(v, VcpuOpCmd.SetSingleshotTimer, 0, set), Is.Zero, "Xen ignores VCPU_SSHOTTMR_future");
        Assert.That(EvtchnRig.Pending(d, p), Is.True);
        Assert.That(v.SingleshotTimer.Active, Is.False);
    }

    [Test]
    public void SingleshotTimerIsTheCallersOwn()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv32, vcpus: 2);
        var v = d.Vcpus[0];
        Assert.That(m.VcpuOp(v, VcpuOpCmd.SetSingleshotTimer, 1, new VcpuSetSingleshotTimerCompat { TimeoutAbsNs = 10 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.VcpuOp(v, VcpuOpCmd.StopSingleshotTimer, 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.VcpuOp(v, VcpuOpCmd.SetSingleshotTimer, 0, 0x7FFF_0000UL), Is.EqualTo(-Errno.EFAULT));
        m.Platform.Now = 100;
        Assert.That(m.VcpuOp(v, VcpuOpCmd.SetSingleshotTimer, 0, new VcpuSetSingleshotTimerCompat { TimeoutAbsNs = 500 }), Is.Zero);
        Assert.That(m.VcpuOp(v, VcpuOpCmd.StopSingleshotTimer, 0), Is.Zero);
        Assert.That(v.SingleshotTimer.Active, Is.False);
    }

    [Test]
    public void PeriodicTimerFiresEveryPeriodUntilStopped()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, vcpus: 2);
        var v1 = d.Vcpus[1];
        uint p = BindTimer(m, v1);
        m.Platform.Now = 10_000_000;
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.SetPeriodicTimer, 1, new VcpuSetPeriodicTimer { PeriodNs = 2_000_000 }), Is.Zero);
        Assert.That(EvtchnRig.Pending(d, p), Is.True, "a full period has passed since time 0");
        GuestBits.Clear(d.SharedInfo.PendingBits, p);
        m.TickAt(11_999_999);
        Assert.That(EvtchnRig.Pending(d, p), Is.False);
        m.TickAt(12_000_000);
        Assert.That(EvtchnRig.Pending(d, p), Is.True);
        GuestBits.Clear(d.SharedInfo.PendingBits, p);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.StopPeriodicTimer, 1), Is.Zero);
        m.TickAt(20_000_000);
        Assert.That(EvtchnRig.Pending(d, p), Is.False);
    }

    [Test]
    public void PeriodicTimerLimits()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64);
        Assert.That(d.Vcpus[0].VcpuOp.PeriodicPeriod, Is.EqualTo(10_000_000), "PV vCPUs start with 10 ms");
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.SetPeriodicTimer, 0, new VcpuSetPeriodicTimer { PeriodNs = 999_999 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.SetPeriodicTimer, 0, new VcpuSetPeriodicTimer { PeriodNs = 1UL << 62 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.SetPeriodicTimer, 0, new VcpuSetPeriodicTimer { PeriodNs = (1UL << 62) - 1 }), Is.Zero);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.SetPeriodicTimer, 0, 0x10UL), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    [TestCase(GuestMode.Arm)]
    public void SharedInfoCarriesTimeAndWallclock(GuestMode mode)
    {
        using var m = new TestMachine();
        m.Hv.Clock.WallclockSec = 0x1_2345_6789;
        m.Hv.Clock.WallclockNsec = 500;
        m.Platform.Now = 3_000_000_000;
        var d = m.NewDomain(mode);
        var layout = d.SharedInfo.Layout;
        var t = *(VcpuTimeInfo*)(d.Vcpus[0].Events.Info + layout.Time);
        Assert.That(t.Version % 2, Is.Zero);
        Assert.That(t.SystemTime, Is.EqualTo(3_000_000_000UL));
        Assert.That(t.TscTimestamp, Is.EqualTo(6_000_000_000UL), "2 GHz TSC counting from 0");
        Assert.That(m.Hv.Clock.ScaleDelta(2_000_000_000), Is.InRange(999_999_999UL, 1_000_000_000UL), "mul/shift turn 1 s of ticks into 1 s");
        byte* s = d.SharedInfo.Base;
        Assert.That(*(uint*)(s + layout.WcVersion) % 2, Is.Zero);
        Assert.That(*(uint*)(s + layout.WcVersion + 4), Is.EqualTo(0x2345_6789u));
        Assert.That(*(uint*)(s + layout.WcVersion + 8), Is.EqualTo(500u));
        Assert.That(*(uint*)(s + layout.WcSecHi), Is.EqualTo(1u));
    }

    [Test]
    public void TimeScaleForOtherFrequencies()
    {
        var c = new GuestClock();
        foreach (ulong hz in new ulong[] { 1_000_000, 19_200_000, 1_000_000_000, 3_700_000_000 })
        {
            c.SetFrequency(hz);
            Assert.That((double)c.ScaleDelta(hz), Is.EqualTo(1e9).Within(2), $"{hz} Hz");
            Assert.That(c.TscAt(1_000_000_000), Is.EqualTo(hz));
        }
    }
}

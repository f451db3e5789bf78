using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.Sched.SchedGuest;

namespace XenLite.Tests.Sched;

/// <summary>SCHEDOP_remote_shutdown: who may shut down whom (XSM DM_PRIV) and how targets are named.</summary>
[Category("sched_op")]
public class RemoteShutdownTests
{
    static long RemoteShutdown(TestMachine m, Vcpu v, uint domid, uint reason) =>
        m.SchedOp(v, SchedOpCmd.RemoteShutdown, new SchedRemoteShutdown { DomainId = (ushort)domid, Reason = reason });

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void ThePrivilegedDomainShutsDownAnother(GuestMode mode)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(mode);
        var domU = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(RemoteShutdown(m, dom0.Vcpus[0], 1, ShutdownReason.Reboot), Is.EqualTo(0));
        Assert.That(domU.State, Is.EqualTo(DomainState.Shutdown));
        Assert.That(domU.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Reboot));
        Assert.That(dom0.State, Is.EqualTo(DomainState.Running));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void AnUnprivilegedDomainMayNotShutDownTheControlDomain(GuestMode mode)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv64);
        var domU = m.NewDomain(mode, id: 1);
        Assert.That(RemoteShutdown(m, domU.Vcpus[0], 0, ShutdownReason.Poweroff), Is.EqualTo(-Errno.EPERM));
        Assert.That(dom0.State, Is.EqualTo(DomainState.Running));
        Assert.That(m.Platform.PowerOffStatus, Is.Null);
    }

    [Test]
    public void AnUnprivilegedDomainMayNotShutDownAnotherOrItselfById()
    {
        using var m = new TestMachine();
        var a = m.NewDomain(GuestMode.Hvm64, id: 1);
        var b = m.NewDomain(GuestMode.Hvm64, id: 2);
        Assert.That(RemoteShutdown(m, a.Vcpus[0], 2, ShutdownReason.Poweroff), Is.EqualTo(-Errno.EPERM));
        Assert.That(RemoteShutdown(m, a.Vcpus[0], 1, ShutdownReason.Poweroff), Is.EqualTo(-Errno.EPERM));
        Assert.That(a.State, Is.EqualTo(DomainState.Running));
        Assert.That(b.State, Is.EqualTo(DomainState.Running));
    }

    [Test]
    public void ADeviceModelMayShutDownItsTarget()
    {
        using var m = new TestMachine();
        var dm = m.NewDomain(GuestMode.Pv64, id: 1);
        var guest = m.NewDomain(GuestMode.Hvm64, id: 2);
        var other = m.NewDomain(GuestMode.Hvm64, id: 3);
        dm.Target = guest;
        Assert.That(RemoteShutdown(m, dm.Vcpus[0], 2, ShutdownReason.Crash), Is.EqualTo(0));
        Assert.That(guest.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Crash));
        Assert.That(RemoteShutdown(m, dm.Vcpus[0], 3, ShutdownReason.Crash), Is.EqualTo(-Errno.EPERM));
        Assert.That(other.State, Is.EqualTo(DomainState.Running));
    }

    [TestCase(5u)]
    [TestCase(DomainIds.Self)]
    [TestCase(DomainIds.Invalid)]
    [TestCase(0xFFFFu)]
    public void AnIdNamingNoDomainIsEsrch(uint domid)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Hvm64);
        // DOMID_SELF is not resolved here: Xen looks the id up as given.
        Assert.That(RemoteShutdown(m, dom0.Vcpus[0], domid, ShutdownReason.Poweroff), Is.EqualTo(-Errno.ESRCH));
        Assert.That(dom0.State, Is.EqualTo(DomainState.Running));
    }

    [Test]
    public void TheLookupComesBeforeThePermissionCheck()
    {
        using var m = new TestMachine();
        var domU = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(RemoteShutdown(m, domU.Vcpus[0], 9, ShutdownReason.Poweroff), Is.EqualTo(-Errno.ESRCH));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void BadPointerIsEfault(GuestMode mode)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(mode);
        var domU = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.Call(dom0.Vcpus[0], HypercallNumber.SchedOp, SchedOpCmd.RemoteShutdown, BadAddr(dom0)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(domU.State, Is.EqualTo(DomainState.Running));
    }

    [Test]
    public void RemoteReasonIsTruncatedToAByte()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv32);
        var domU = m.NewDomain(GuestMode.Hvm32, id: 1);
        Assert.That(RemoteShutdown(m, dom0.Vcpus[0], 1, 0x7_05), Is.EqualTo(0));
        Assert.That(domU.ShutdownCode, Is.EqualTo((uint)ShutdownReason.SoftReset));
    }

    [Test]
    public void TheControlDomainShuttingDownTheHardwareDomainStopsTheMachine()
    {
        using var m = new TestMachine();
        var hwdom = m.NewDomain(GuestMode.Pv64);
        var ctl = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: true);
        Assert.That(RemoteShutdown(m, ctl.Vcpus[0], 0, ShutdownReason.Poweroff), Is.EqualTo(0));
        Assert.That(hwdom.State, Is.EqualTo(DomainState.Shutdown));
        Assert.That(m.Platform.PowerOffStatus, Is.EqualTo(0));
    }
}

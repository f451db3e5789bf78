using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Tests.Harness;
using XenLite.Tests.MemoryOp;

namespace XenLite.Tests.Domctl;

/// <summary>What every domctl goes through: version, argument, domain lookup, XSM, and the -ENOSYS rest.</summary>
[Category("domctl")]
public class DomctlHeaderTests : OwnershipCheckedTest
{
    [TestCase(0u)]
    [TestCase(DomctlCmd.InterfaceVersion - 1)]
    [TestCase(DomctlCmd.InterfaceVersion + 1)]
    public void WrongInterfaceVersionIsEacces(uint version)
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.GetDomainInfo, 0, version: version), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void GetDomainStateIsStableAndWantsVersionZero()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.GetDomainState, 0), Is.EqualTo(-Errno.EACCES));
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.GetDomainState, 0, version: 0), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void UnmappedArgumentIsEfault()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Call(d0.Vcpus[0], HypercallNumber.Domctl, 0x7FFF_F000), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void MissingDomainIsEsrchForTheControlDomainAndEpermForOthers()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.PauseDomain, 9), Is.EqualTo(-Errno.ESRCH));
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.GetDomainInfo, 0x7FF0), Is.EqualTo(-Errno.ESRCH), "DOMID_SELF is not resolved");
        Assert.That(m.Domctl(u.Vcpus[0], DomctlCmd.PauseDomain, 9), Is.EqualTo(-Errno.EPERM));
    }

    [TestCase(DomctlCmd.PauseDomain)]
    [TestCase(DomctlCmd.GetDomainInfo)]
    [TestCase(DomctlCmd.MaxMem)]
    [TestCase(DomctlCmd.CreateDomain)]
    [TestCase(DomctlCmd.IomemPermission)]
    [TestCase(DomctlCmd.SetTarget)]
    [TestCase(DomctlCmd.ShadowOp)]
    public void UnprivilegedCallerIsRefusedByTheDummyXsm(uint cmd)
    {
        var m = Machine();
        m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1);
        var t = m.NewDomain(GuestMode.Hvm64, id: 2);
        DomctlRig.UnionFill fill = cmd switch
        {
            DomctlCmd.CreateDomain => DomctlRig.With(DomctlRig.HvmConfig()),
            DomctlCmd.SetTarget => DomctlRig.With(new DomctlSetTarget { Target = 1 }),
            DomctlCmd.IomemPermission => DomctlRig.With(new DomctlIomemPermission { FirstMfn = 0xFE000, NrMfns = 1, AllowAccess = 1 }),
            _ => null,
        };
        Assert.That(m.Domctl(u.Vcpus[0], cmd, t.Id, fill), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void AXenstoreDomainMayReadDomainInfoButNotControl()
    {
        var m = Machine();
        m.NewDomain(GuestMode.Hvm64);
        var xs = m.Hv.CreateDomain(new Hv.Common.DomainConfig { Id = 1, Mode = GuestMode.Hvm64, Vcpus = 1, Pages = 16, Xenstore = true });
        Assert.That(m.GetInfo(xs.Vcpus[0], 0, out var info), Is.Zero);
        Assert.That(info.Domain, Is.EqualTo(0));
        Assert.That(m.Domctl(xs.Vcpus[0], DomctlCmd.PauseDomain, 0), Is.EqualTo(-Errno.EPERM));
    }

    [TestCase(DomctlCmd.ShadowOp)]
    [TestCase(DomctlCmd.GetHvmContext)]
    [TestCase(DomctlCmd.GsiPermission)]
    [TestCase(DomctlCmd.BindPtIrq)]
    [TestCase(DomctlCmd.AssignDevice)]
    [TestCase(7u)]
    [TestCase(2000u)]
    public void UnimplementedCommandsAreEnosys(uint cmd)
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.Domctl(d0.Vcpus[0], cmd, u.Id), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void ACompatCallerUsesTheSameLayout()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm32);
        var u = m.NewDomain(GuestMode.Pv32, id: 1);
        Assert.That(m.GetInfo(d0.Vcpus[0], 1, out var info), Is.Zero);
        Assert.That((info.Domain, info.TotPages), Is.EqualTo(((ushort)1, u.TotPages)));
        var pv = m.NewDomain(GuestMode.Pv32, id: 2, privileged: true);
        Assert.That(m.Domctl(pv.Vcpus[0], DomctlCmd.PauseDomain, 1), Is.Zero);
        Assert.That(u.Control.PauseCount, Is.EqualTo(1));
    }

    [Test]
    public void AStructRunningOffTheEndOfGuestMemoryIsEfault()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, pages: 64);
        Assert.That(m.Call(d0.Vcpus[0], HypercallNumber.Domctl, 64 * 4096 - 8), Is.EqualTo(-Errno.EFAULT));
    }
}

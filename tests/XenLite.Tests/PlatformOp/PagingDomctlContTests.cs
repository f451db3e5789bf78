using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.PlatformOp;

/// <summary>paging_domctl_cont: resuming a shadow_op domctl that XenLite never leaves unfinished.</summary>
[Category("paging_domctl_cont")]
public unsafe class PagingDomctlContTests
{
    const ulong Gpa = 0x4000;

    static long Resume(TestMachine m, Vcpu v, ushort domid, uint cmd = 10, uint version = 0x18, uint shadowOp = 11)
    {
        var op = new byte[144];
        fixed (byte* p = op)
        {
            *(uint*)p = cmd;
            *(uint*)(p + 4) = version;
            *(ushort*)(p + 8) = domid;
            *(uint*)(p + 16) = shadowOp;
        }
        m.Poke(v.Domain, Gpa, op);
        return m.Call(v, HypercallNumber.PagingDomctlCont, TestMachine.GuestAddr(v.Domain, Gpa));
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void NothingIsEverLeftToResume(GuestMode mode)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(mode, 0).Vcpus[0];
        var guest = m.NewDomain(mode, 1).Vcpus[0];
        Assert.That(Resume(m, dom0, 1), Is.EqualTo(-Errno.EBUSY));
        Assert.That(m.PeekStruct<uint>(dom0.Domain, Gpa + 16), Is.EqualTo(11), "shadow_op written back unchanged");
        Assert.That(Resume(m, dom0, 0), Is.EqualTo(-Errno.EINVAL), "not on oneself");
        Assert.That(Resume(m, guest, 0), Is.EqualTo(-Errno.EPERM));
        Assert.That(Resume(m, dom0, 9), Is.EqualTo(-Errno.ESRCH));
        Assert.That(Resume(m, dom0, (ushort)DomainIds.Self), Is.EqualTo(-Errno.ESRCH));
    }

    [Test]
    public void OnlyShadowOpOfThisInterfaceVersion()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Hvm64, 0).Vcpus[0];
        m.NewDomain(GuestMode.Hvm64, 1);
        Assert.That(Resume(m, dom0, 1, version: 0x17), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(Resume(m, dom0, 1, cmd: 5), Is.EqualTo(-Errno.EOPNOTSUPP));
        Assert.That(m.Call(dom0, HypercallNumber.PagingDomctlCont, 0x7FFF_F000), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void ArmHasNoPagingDomctlCont()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Arm, 0).Vcpus[0];
        Assert.That(m.Call(v, HypercallNumber.PagingDomctlCont, Gpa), Is.EqualTo(-Errno.ENOSYS));
    }
}

using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>Hypervisor.CreateDomain labels every domain through XSM; FLASK_RELABEL_DOMAIN and
/// FLASK_GET_PEER_SID read and change those labels.</summary>
[Category("xsm_op")]
[Category("flask")]
public class DomainLabelTests
{
    FlaskOpRig _rig;

    [SetUp] public void SetUp() => _rig = new FlaskOpRig();
    [TearDown] public void TearDown() => _rig.Dispose();

    Domain Create(uint id, uint ssidref, Domain creator) =>
        _rig.M.Hv.CreateDomain(new DomainConfig { Id = id, Mode = GuestMode.Hvm64, Vcpus = 1, Pages = 16, Ssidref = ssidref, Creator = creator });

    [Test]
    public void BootBuiltDom0IsDom0TAndAnUnprivilegedGuestDomUT()
    {
        Assert.That(_rig.TypeOf(_rig.Dom0), Is.EqualTo("dom0_t"));
        Assert.That(_rig.TypeOf(_rig.DomU), Is.EqualTo("domU_t"));
    }

    [Test]
    public void ADomainCreatedByDom0GetsTheLabelItAsksFor()
    {
        var d = Create(2, _rig.Sid("isolated_domU_t"), _rig.Dom0);
        Assert.That(d, Is.Not.Null);
        Assert.That(_rig.TypeOf(d), Is.EqualTo("isolated_domU_t"));
    }

    [Test]
    public void CreationTheCreatorIsNotAllowedFails()
    {
        Assert.That(Create(2, _rig.Sid("domU_t"), _rig.DomU), Is.Null, "domU_t may not create domains");
        Assert.That(Create(2, 0, _rig.Dom0), Is.Null, "no label: unlabeled_t, which dom0 may not create");
        Assert.That(Create(2, _rig.Sid("dom0_t"), null), Is.Null, "dom0_t is a singleton");
        Assert.That(_rig.M.Hv.Lookup(2), Is.Null);
        Assert.That(Create(2, _rig.Sid("domU_t"), _rig.Dom0), Is.Not.Null, "the id is still free");
    }

    [Test]
    public void ADestroyedDomainsLabelIsFreed()
    {
        var d = Create(2, _rig.Sid("prot_domU_t"), _rig.Dom0);
        _rig.M.Hv.DestroyDomain(d);
        var again = Create(2, 0, null);
        Assert.That(_rig.TypeOf(again), Is.EqualTo("domU_t"), "a new domain with that id starts from scratch");
    }

    long Relabel(Domain caller, uint domid, uint sid)
    {
        var op = FlaskOpRig.New(FlaskOpAbi.RelabelDomain);
        op.RelabelDomid = domid;
        op.RelabelSid = sid;
        return _rig.Op(caller, op);
    }

    [Test]
    public void Dom0RelabelsABuildLabelledDomainToItsFinalLabel()
    {
        var d = Create(2, _rig.Sid("nomigrate_t_building"), _rig.Dom0);
        Assert.That(_rig.TypeOf(d), Is.EqualTo("nomigrate_t_building"));
        Assert.That(Relabel(_rig.Dom0, 2, _rig.Sid("nomigrate_t")), Is.EqualTo(0));
        Assert.That(_rig.TypeOf(d), Is.EqualTo("nomigrate_t"));
        // Its self label followed: nomigrate_t acting on itself is nomigrate_t_self.
        Assert.That(_rig.Xsm.MemoryAdjustReservation(d, d), Is.EqualTo(0));
    }

    [Test]
    public void RelabelDomainRefusals()
    {
        Assert.That(Relabel(_rig.Dom0, 1, _rig.Sid("dom0_t")), Is.EqualTo(-Errno.EACCES), "relabelto dom0_t is not allowed");
        Assert.That(Relabel(_rig.Dom0, 1, _rig.Sid("isolated_domU_t")), Is.EqualTo(-Errno.EACCES), "nor relabelfrom domU_t");
        Assert.That(Relabel(_rig.DomU, DomainIds.Self, _rig.Sid("dom0_t")), Is.EqualTo(-Errno.EACCES), "relabelself");
        Assert.That(Relabel(_rig.DomU, 0, _rig.Sid("domU_t")), Is.EqualTo(-Errno.EACCES));
        Assert.That(Relabel(_rig.Dom0, 9, _rig.Sid("domU_t")), Is.EqualTo(-Errno.ESRCH));
        Assert.That(Relabel(_rig.Dom0, DomainIds.Xen, _rig.Sid("domU_t")), Is.EqualTo(-Errno.ESRCH));
        Assert.That(_rig.TypeOf(_rig.DomU), Is.EqualTo("domU_t"));
    }

    [Test]
    public void WithoutAPolicyRelabellingIsAllowedAndKeepsTheRawSid()
    {
        using var late = new FlaskOpRig("flask=late");
        Assert.That(late.Op(late.DomU, RelabelOp(DomainIds.Self, 1234)), Is.EqualTo(0));
        Assert.That(late.Xsm.DomainSid(late.DomU), Is.EqualTo(1234));
    }

    static FlaskOp RelabelOp(uint domid, uint sid)
    {
        var op = FlaskOpRig.New(FlaskOpAbi.RelabelDomain);
        op.RelabelDomid = domid;
        op.RelabelSid = sid;
        return op;
    }

    long PeerSid(Domain d, uint port)
    {
        var op = FlaskOpRig.New(FlaskOpAbi.GetPeerSid);
        op.PeerEvtchn = port;
        return _rig.Op(d, op);
    }

    [Test]
    public void GetPeerSidGivesTheLabelAtTheOtherEndOfAnInterdomainChannel()
    {
        Assert.That(ChannelOps.AllocUnbound(_rig.Dom0.Vcpus[0], _rig.Dom0, 1, out uint remote), Is.EqualTo(0));
        Assert.That(ChannelOps.BindInterdomain(_rig.DomU, _rig.Dom0, remote, out uint local), Is.EqualTo(0));
        Assert.That(PeerSid(_rig.DomU, local), Is.EqualTo(0));
        Assert.That(_rig.Back(_rig.DomU).PeerSid, Is.EqualTo(_rig.Sid("dom0_t")));
        Assert.That(PeerSid(_rig.Dom0, remote), Is.EqualTo(0), "no permission is asked");
        Assert.That(_rig.Back(_rig.Dom0).PeerSid, Is.EqualTo(_rig.Sid("domU_t")));
    }

    [Test]
    public void GetPeerSidRefusesPortsThatAreNotInterdomain()
    {
        Assert.That(ChannelOps.AllocUnbound(_rig.Dom0.Vcpus[0], _rig.Dom0, 1, out uint unbound), Is.EqualTo(0));
        Assert.That(PeerSid(_rig.Dom0, unbound), Is.EqualTo(-Errno.EINVAL), "unbound");
        Assert.That(PeerSid(_rig.Dom0, 0), Is.EqualTo(-Errno.EINVAL), "port 0 is reserved");
        Assert.That(PeerSid(_rig.Dom0, 100000), Is.EqualTo(-Errno.EINVAL), "not a valid port");
    }
}

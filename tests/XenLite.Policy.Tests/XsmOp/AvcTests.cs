using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>FLASK_GET/SETAVC_THRESHOLD (security:setsecparam), FLASK_AVC_HASHSTATS and
/// FLASK_AVC_CACHESTATS: XenLite has no cache, the table answers every lookup.</summary>
[Category("xsm_op")]
[Category("flask")]
public class AvcTests
{
    FlaskOpRig _rig;

    [SetUp] public void SetUp() => _rig = new FlaskOpRig();
    [TearDown] public void TearDown() => _rig.Dispose();

    long SetThreshold(Hv.Common.Domain d, uint value)
    {
        var op = FlaskOpRig.New(FlaskOpAbi.SetAvcThreshold);
        op.Threshold = value;
        return _rig.Op(d, op);
    }

    [Test]
    public void TheThresholdStartsAtXensDefaultAndDom0MayChangeIt()
    {
        Assert.That(_rig.Op(_rig.DomU, FlaskOpRig.New(FlaskOpAbi.GetAvcThreshold)), Is.EqualTo(512));
        Assert.That(SetThreshold(_rig.Dom0, 1024), Is.EqualTo(0));
        Assert.That(_rig.Op(_rig.DomU, FlaskOpRig.New(FlaskOpAbi.GetAvcThreshold)), Is.EqualTo(1024));
    }

    [Test]
    public void AnUnprivilegedDomainMayOnlySetTheValueInForce()
    {
        Assert.That(SetThreshold(_rig.DomU, 100), Is.EqualTo(-Errno.EACCES));
        Assert.That(SetThreshold(_rig.DomU, 512), Is.EqualTo(0), "no change: no check");
        Assert.That(_rig.Xsm.AvcThreshold, Is.EqualTo(512));
    }

    [Test]
    public void HashStatsShowAnEmptyCache()
    {
        var op = FlaskOpRig.New(FlaskOpAbi.AvcHashStats);
        op.HashEntries = op.HashBucketsUsed = op.HashMaxChainLen = 77;
        Assert.That(_rig.Op(_rig.DomU, op), Is.EqualTo(0), "no permission needed");
        var back = _rig.Back(_rig.DomU);
        Assert.That((back.HashEntries, back.HashBucketsUsed, back.HashBucketsTotal, back.HashMaxChainLen), Is.EqualTo((0u, 0u, 512u, 0u)));
    }

    [Test]
    public void CacheStatsCountLookupsAsHitsOnCpu0()
    {
        _rig.Xsm.ConsoleIo(_rig.DomU, ConsoleIoCmd.Read);
        var op = FlaskOpRig.New(FlaskOpAbi.AvcCacheStats);
        Assert.That(_rig.Op(_rig.DomU, op), Is.EqualTo(0));
        var back = _rig.Back(_rig.DomU);
        Assert.That(back.CacheLookups, Is.EqualTo((uint)_rig.Xsm.Lookups).And.GreaterThan(0u));
        Assert.That(back.CacheHits, Is.EqualTo(back.CacheLookups));
        Assert.That((back.CacheMisses, back.CacheAllocations, back.CacheReclaims, back.CacheFrees), Is.EqualTo((0u, 0u, 0u, 0u)));
        op.CacheCpu = 1;
        Assert.That(_rig.Op(_rig.DomU, op), Is.EqualTo(-Errno.ENOENT), "one set of counters: CPU 0");
    }
}

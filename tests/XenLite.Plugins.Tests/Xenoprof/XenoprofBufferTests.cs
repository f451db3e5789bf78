using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Plugin.Xenoprof;
using L = XenLite.Plugin.Xenoprof.XenoprofBufLayout;

namespace XenLite.Plugins.Tests.Xenoprof;

[Category("xenoprof_op")]
public class XenoprofBufferTests
{
    [Test]
    public void GetBufferSharesContiguousHypervisorFramesWithTheCaller()
    {
        using var rig = new XenoprofRig(dom0Vcpus: 3);
        Assert.That(rig.GetBuffer(rig.Dom0, 300, out var r), Is.EqualTo(0));
        Assert.That(r.Nbuf, Is.EqualTo(3));
        Assert.That(r.Bufsize, Is.EqualTo(48 + 300 * 16));
        Assert.That(r.MaxSamples, Is.EqualTo(300));
        var b = rig.State.BuffersOf(rig.Dom0);
        Assert.That(r.BufGmaddr, Is.EqualTo(b.Maddr));
        int pages = (3 * r.Bufsize - 1) / 4096 + 1;
        var mem = rig.M.Hv.Memory;
        for (int i = 0; i < pages; i++)
        {
            var mfn = new Mfn(b.Raw.Value + (ulong)i);
            Assert.That(mem.OwnerOf(mfn), Is.EqualTo(rig.Dom0.Id));
            Assert.That(mem.KindOf(mfn), Is.EqualTo(FrameKind.Xen), "not in the domain's tot_pages");
            Assert.That(mem.RefCount(mfn), Is.EqualTo(1u));
        }
        for (int v = 0; v < 3; v++)
        {
            Assert.That(rig.BufInt(b, v, L.EventSize), Is.EqualTo(300));
            Assert.That(rig.BufInt(b, v, L.VcpuId), Is.EqualTo(v));
        }
    }

    [Test]
    public void AnyDomainMayGetItsOwnBuffer()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.GetBuffer(rig.DomU, 16, out var r), Is.EqualTo(0));
        Assert.That(r.Nbuf, Is.EqualTo(2));
        Assert.That(rig.M.Hv.Memory.OwnerOf(new Maddr(r.BufGmaddr).Frame), Is.EqualTo(rig.DomU.Id));
    }

    [Test]
    public void GetBufferWhileStillSharedIsEbusy()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.GetBuffer(rig.Dom0, 16, out _), Is.EqualTo(0));
        Assert.That(rig.GetBuffer(rig.Dom0, 16, out _), Is.EqualTo(-Errno.EBUSY));
    }

    [TestCase(1_000_000)]
    [TestCase(-1)]
    public void OversizedRequestsAreCutToThirtyTwoPages(int maxSamples)
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.GetBuffer(rig.Dom0, maxSamples, out var r), Is.EqualTo(0));
        int entries = (32 * 4096 - 64) / 16 + 1;
        Assert.That(r.Bufsize, Is.EqualTo(48 + entries * 16));
        Assert.That(rig.State.BuffersOf(rig.Dom0).Npages, Is.EqualTo(32));
    }

    [Test]
    public void CompatCallersGetTwelveByteEntriesAndThePackedStruct()
    {
        using var rig = new XenoprofRig(GuestMode.Pv32);
        rig.M.PokeStruct(rig.Dom0, XenoprofRig.ArgGpa, new XenoprofGetBufferArgCompat { MaxSamples = 10 });
        Assert.That(rig.Op(XenoprofCmd.GetBuffer), Is.EqualTo(0));
        var r = rig.M.PeekStruct<XenoprofGetBufferArgCompat>(rig.Dom0, XenoprofRig.ArgGpa);
        Assert.That(r.Bufsize, Is.EqualTo(48 + 10 * 12));
        Assert.That(r.BufGmaddr, Is.EqualTo(rig.State.BuffersOf(rig.Dom0).Maddr));
    }

    [Test]
    public void NoMemoryForBuffersIsEnomem()
    {
        using var rig = new XenoprofRig();
        var mem = rig.M.Hv.Memory;
        while (mem.FreeFrames > 0) mem.Allocate(1000);
        Assert.That(rig.GetBuffer(rig.Dom0, 16, out _), Is.EqualTo(-Errno.ENOMEM));
    }

    [Test]
    public void PassiveBuffersAreSharedWithTheProfiler()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetPassive(1, 20, out var p), Is.EqualTo(0));
        Assert.That(p.Nbuf, Is.EqualTo(2), "one per vCPU of the passive domain");
        Assert.That(p.Bufsize, Is.EqualTo(48 + 20 * 16));
        var b = rig.State.BuffersOf(rig.DomU);
        Assert.That(p.BufGmaddr, Is.EqualTo(b.Maddr));
        Assert.That(rig.M.Hv.Memory.OwnerOf(b.Raw), Is.EqualTo(rig.Dom0.Id));
        Assert.That(b.Type, Is.EqualTo(ProfiledAs.Passive));
        Assert.That(rig.SetPassive(1, 20, out _), Is.EqualTo(-Errno.EBUSY), "already shared");
        Assert.That(rig.Op(XenoprofCmd.ResetPassiveList), Is.EqualTo(0));
        Assert.That(rig.M.Hv.Memory.OwnerOf(b.Raw), Is.EqualTo((ushort)DomainIds.Xen));
        Assert.That(rig.State.Pdomains, Is.EqualTo(0));
        Assert.That(rig.SetPassive(1, 20, out _), Is.EqualTo(0), "free to share again");
    }

    [Test]
    public void PassiveDomainThatReadsItsOwnBuffersIsEbusy()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.GetBuffer(rig.DomU, 20, out _), Is.EqualTo(0));
        Assert.That(rig.SetPassive(1, 20, out _), Is.EqualTo(-Errno.EBUSY));
    }

    [Test]
    public void SetPassiveOfAnUnknownDomainIsEinval()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetPassive(9, 20, out _), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void ReleaseCountersEndsPassiveSharing()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetPassive(1, 20, out _), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReserveCounters), Is.EqualTo(0));
        Assert.That(rig.Op(XenoprofCmd.ReleaseCounters), Is.EqualTo(0));
        Assert.That(rig.State.Pdomains, Is.EqualTo(0));
        Assert.That(rig.M.Hv.Memory.OwnerOf(rig.State.BuffersOf(rig.DomU).Raw), Is.EqualTo((ushort)DomainIds.Xen));
    }

    [Test]
    public void ADestroyedPassiveDomainLeavesTheListAndFreesItsBuffers()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetPassive(1, 20, out var p), Is.EqualTo(0));
        var raw = new Maddr(p.BufGmaddr).Frame;
        rig.M.Hv.DestroyDomain(rig.DomU);
        Assert.That(rig.M.Hv.Memory.OwnerOf(raw), Is.EqualTo(MachineMemory.OwnerFree));
        Assert.That(rig.State.PassiveDomains[0], Is.Null);
        Assert.That(rig.Op(XenoprofCmd.ResetPassiveList), Is.EqualTo(0));
    }

    [Test]
    public void ADestroyedProfilerHandsPassiveBuffersBack()
    {
        using var rig = new XenoprofRig();
        Assert.That(rig.Init(rig.Dom0), Is.EqualTo(0));
        Assert.That(rig.SetPassive(1, 20, out var p), Is.EqualTo(0));
        var raw = new Maddr(p.BufGmaddr).Frame;
        rig.M.Hv.DestroyDomain(rig.Dom0);
        Assert.That(rig.State.PrimaryProfiler, Is.Null);
        Assert.That(rig.M.Hv.Memory.OwnerOf(raw), Is.EqualTo((ushort)DomainIds.Xen), "kept for domain 1, not freed with domain 0");
    }
}

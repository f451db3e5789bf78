using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Plugin.Argo;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Argo;

[Category("argo_op")]
public class RegisterRingTests
{
    const uint OnePage = 4096 - 64; // the largest ring that fits one page with its header

    static (TestMachine M, Domain D1, Domain D2) Two(string line = "argo=1,mac-permissive", Hv.Xsm.XsmModule xsm = null)
    {
        var m = ArgoRig.Machine(line, xsm);
        return (m, m.Guest(1), m.Guest(2));
    }

    [Test]
    public void RegistersAndHoldsAWritableReferenceOnEachPage()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        Mfn first = d1.P2m.Lookup(new Gfn(ArgoRig.RingGfn)), second = d1.P2m.Lookup(new Gfn(ArgoRig.RingGfn + 1));
        uint refs = m.Hv.Memory.RefCount(first);
        Assert.That(m.Register(d1, 7, 2, 8192 - 64), Is.EqualTo(0));
        Assert.That(m.Hv.Memory.RefCount(first), Is.EqualTo(refs + 1));
        Assert.That(m.Hv.Memory.RefCount(second), Is.EqualTo(refs + 1));
        Assert.That(m.Hv.Memory.TypeCount(first), Is.EqualTo(1));
        Assert.That(m.Unregister(d1, 7, 2), Is.EqualTo(0));
        Assert.That(m.Hv.Memory.RefCount(first), Is.EqualTo(refs));
        Assert.That(m.Hv.Memory.TypeCount(second), Is.EqualTo(0));
    }

    [Test]
    public void SmallestRingIsHeaderPlusTwoSlots()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        Assert.That(m.Register(d1, 1, 2, 32), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Register(d1, 1, 2, 48), Is.EqualTo(0));
    }

    [TestCase(4096 - 64 + 8, Description = "not a multiple of the 16-byte slot")]
    [TestCase(0x1000010, Description = "above XEN_ARGO_MAX_RING_SIZE")]
    public void BadLengthIsEinval(int len)
    {
        var (m, d1, _) = Two();
        using var _m = m;
        Assert.That(m.Register(d1, 1, 2, (uint)len, frames: new ulong[] { ArgoRig.RingGfn }), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void PageCountMustMatchTheLength()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        // 4096 - 64 needs one page; 4096 - 48 (header + ring crosses the page) needs two.
        Assert.That(m.Register(d1, 1, 2, OnePage, frames: ArgoRig.RingFrames(d1, 2)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Register(d1, 1, 2, 4096 - 48, frames: ArgoRig.RingFrames(d1, 1)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Register(d1, 1, 2, 4096 - 48), Is.EqualTo(0));
    }

    [Test]
    public void MoreThan4096PagesIsEinval()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        m.PokeStruct(d1, ArgoRig.ArgGpa, new ArgoRegisterRing { Aport = 1, PartnerId = 2, Len = ArgoAbi.MaxRingSize });
        Assert.That(m.Argo(d1, ArgoAbi.OpRegisterRing, ArgoRig.ArgGpa, ArgoRig.ListGpa, 4097), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void NonZeroPadIsEinval()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        Assert.That(m.Register(d1, 1, 2, OnePage, pad: 1), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void UndefinedFlagIsEinval()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        Assert.That(m.Register(d1, 1, 2, OnePage, flags: 2), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void UnreadableArgumentsAreEfault()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        Assert.That(m.Argo(d1, ArgoAbi.OpRegisterRing, 0x10_0000_0000, ArgoRig.ListGpa, 1), Is.EqualTo(-Errno.EFAULT));
        m.PokeStruct(d1, ArgoRig.ArgGpa, new ArgoRegisterRing { Aport = 1, PartnerId = 2, Len = OnePage });
        // The gfn list is unmapped, or wraps around the address space.
        Assert.That(m.Argo(d1, ArgoAbi.OpRegisterRing, ArgoRig.ArgGpa, 0x10_0000_0000, 1), Is.EqualTo(-Errno.EFAULT));
        Assert.That(m.Argo(d1, ArgoAbi.OpRegisterRing, ArgoRig.ArgGpa, ulong.MaxValue - 7, 2), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void FrameThatIsNotTheCallersRamIsEinval()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        Assert.That(m.Register(d1, 1, 2, OnePage, frames: new[] { ArgoRig.HoleGfn }), Is.EqualTo(-Errno.EINVAL));
        // A later good frame does not help, and the earlier one's reference is given back.
        Mfn good = d1.P2m.Lookup(new Gfn(ArgoRig.RingGfn));
        uint refs = m.Hv.Memory.RefCount(good);
        Assert.That(m.Register(d1, 1, 2, 8192 - 64, frames: new[] { ArgoRig.RingGfn, ArgoRig.HoleGfn }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Hv.Memory.RefCount(good), Is.EqualTo(refs));
        Assert.That(m.Hv.Memory.TypeCount(good), Is.EqualTo(0));
    }

    [Test]
    public void UnknownPartnerIsEsrch()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        Assert.That(m.Register(d1, 1, 9, OnePage), Is.EqualTo(-Errno.ESRCH));
        Assert.That(m.Register(d1, 1, (ushort)DomainIds.Self, OnePage), Is.EqualTo(-Errno.ESRCH));
    }

    [Test]
    public void AnySourceRingNeedsMacPermissive()
    {
        var (m, d1, _) = Two("argo=1");
        using var _m = m;
        Assert.That(m.Register(d1, 1, ArgoAbi.DomidAny, OnePage), Is.EqualTo(-Errno.EPERM));
        var (p, e1, _) = Two("argo=1,mac-permissive");
        using var _p = p;
        Assert.That(p.Register(e1, 1, ArgoAbi.DomidAny, OnePage), Is.EqualTo(0));
    }

    [Test]
    public void XsmRegistrationHooksDecide()
    {
        Domain seenD = null, seenT = null;
        var xsm = XsmDecider.Create((hook, a) =>
        {
            if (hook == "ArgoRegisterAnySource") return -Errno.EACCES;
            if (hook != "ArgoRegisterSingleSource") return XsmDecider.Pass;
            seenD = (Domain)a[0];
            seenT = (Domain)a[1];
            return -Errno.EACCES;
        });
        var (m, d1, d2) = Two(xsm: xsm);
        using var _m = m;
        Assert.That(m.Register(d1, 1, ArgoAbi.DomidAny, OnePage), Is.EqualTo(-Errno.EACCES));
        Assert.That(m.Register(d1, 1, 2, OnePage), Is.EqualTo(-Errno.EACCES));
        Assert.That(seenD, Is.SameAs(d1));
        Assert.That(seenT, Is.SameAs(d2));
    }

    [Test]
    public void PartnerWithoutArgoIsEconnrefused()
    {
        var xsm = XsmDecider.Create((hook, a) => hook == "ArgoEnable" && ((Domain)a[0]).Id == 2 ? -Errno.EACCES : XsmDecider.Pass);
        var (m, d1, _) = Two(xsm: xsm);
        using var _m = m;
        Assert.That(m.Register(d1, 1, 2, OnePage), Is.EqualTo(-Errno.ECONNREFUSED));
    }

    [Test]
    public void ReRegistrationKeepsTheRingAndMovesItsPages()
    {
        var (m, d1, d2) = Two();
        using var _m = m;
        Assert.That(m.Register(d1, 1, 2, OnePage), Is.EqualTo(0));
        Mfn old = d1.P2m.Lookup(new Gfn(ArgoRig.RingGfn));
        Assert.That(m.Register(d1, 1, 2, OnePage, firstGfn: ArgoRig.RingGfn + 4), Is.EqualTo(0));
        Assert.That(m.Hv.Memory.TypeCount(old), Is.EqualTo(0));
        Assert.That(ArgoState.Of(m.Hv).For(d1).RingCount, Is.EqualTo(1));
        // Messages now land in the new pages.
        Assert.That(m.Send(d2, ArgoRig.Addr(5, 2), ArgoRig.Addr(1, 1), 0, ArgoRig.Bytes(8, 1)), Is.EqualTo(8));
        Assert.That(m.TxPtr(d1, (ArgoRig.RingGfn + 4) << 12), Is.EqualTo(32));
        Assert.That(m.TxPtr(d1), Is.EqualTo(0));
    }

    [Test]
    public void FailExistAndSizeChangeAreEexist()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        Assert.That(m.Register(d1, 1, 2, OnePage), Is.EqualTo(0));
        Assert.That(m.Register(d1, 1, 2, OnePage, flags: ArgoAbi.RegisterFlagFailExist), Is.EqualTo(-Errno.EEXIST));
        Assert.That(m.Register(d1, 1, 2, 1024), Is.EqualTo(-Errno.EEXIST));
        // A new ring with the flag is fine; so is the same port for another partner.
        Assert.That(m.Register(d1, 2, 2, OnePage, flags: ArgoAbi.RegisterFlagFailExist, firstGfn: ArgoRig.RingGfn + 1), Is.EqualTo(0));
        Assert.That(m.Register(d1, 1, ArgoAbi.DomidAny, OnePage, firstGfn: ArgoRig.RingGfn + 2), Is.EqualTo(0));
    }

    [Test]
    public void FailedReRegistrationRemovesTheRing()
    {
        var (m, d1, d2) = Two();
        using var _m = m;
        Assert.That(m.Register(d1, 1, 2, OnePage), Is.EqualTo(0));
        Assert.That(m.Register(d1, 1, 2, OnePage, frames: new[] { ArgoRig.HoleGfn }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Send(d2, ArgoRig.Addr(5, 2), ArgoRig.Addr(1, 1), 0, ArgoRig.Bytes(8, 1)), Is.EqualTo(-Errno.ECONNREFUSED));
        Assert.That(m.Hv.Memory.TypeCount(d1.P2m.Lookup(new Gfn(ArgoRig.RingGfn))), Is.EqualTo(0));
    }

    [Test]
    public void ValidTxPtrIsKeptACorruptOneRestartsAfterRx()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        m.SetTxPtr(d1, 96);
        Assert.That(m.Register(d1, 1, 2, OnePage), Is.EqualTo(0));
        Assert.That(m.TxPtr(d1), Is.EqualTo(96));

        m.SetRxPtr(d1, 40, ArgoRig.RingGpa + 4096);
        m.SetTxPtr(d1, 17, ArgoRig.RingGpa + 4096);
        Assert.That(m.Register(d1, 2, 2, OnePage, firstGfn: ArgoRig.RingGfn + 1), Is.EqualTo(0));
        Assert.That(m.TxPtr(d1, ArgoRig.RingGpa + 4096), Is.EqualTo(48));

        m.SetRxPtr(d1, OnePage - 8, ArgoRig.RingGpa + 8192);
        m.SetTxPtr(d1, OnePage, ArgoRig.RingGpa + 8192);
        Assert.That(m.Register(d1, 3, 2, OnePage, firstGfn: ArgoRig.RingGfn + 2), Is.EqualTo(0));
        Assert.That(m.TxPtr(d1, ArgoRig.RingGpa + 8192), Is.EqualTo(0));
    }

    [Test]
    public void At128RingsEvenReRegistrationIsEnospc()
    {
        var (m, d1, _) = Two();
        using var _m = m;
        // Many rings may share pages: each registration takes its own references.
        for (uint port = 0; port < ArgoAbi.MaxRingsPerDomain; port++)
            Assert.That(m.Register(d1, port, 2, OnePage), Is.EqualTo(0), $"ring {port}");
        Assert.That(m.Register(d1, 999, 2, OnePage), Is.EqualTo(-Errno.ENOSPC));
        Assert.That(m.Register(d1, 0, 2, OnePage), Is.EqualTo(-Errno.ENOSPC));
        Assert.That(m.Unregister(d1, 5, 2), Is.EqualTo(0));
        Assert.That(m.Register(d1, 999, 2, OnePage), Is.EqualTo(0));
    }

    [Test]
    public void Pv64GuestNamesRingPagesByMachineFrame()
    {
        using var m = ArgoRig.Machine();
        var d1 = m.Guest(1, GuestMode.Pv64);
        var d2 = m.Guest(2);
        // Its pseudo-physical frame number names no machine frame of its own.
        Assert.That(m.Register(d1, 1, 2, OnePage, frames: new[] { ArgoRig.RingGfn }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Register(d1, 1, 2, OnePage), Is.EqualTo(0));
        Assert.That(m.Send(d2, ArgoRig.Addr(5, 2), ArgoRig.Addr(1, 1), 3, ArgoRig.Bytes(20, 9)), Is.EqualTo(20));
        var (h, payload) = m.ReadMessage(d1, 0, OnePage);
        Assert.That(h.Len, Is.EqualTo(36));
        Assert.That(payload, Is.EqualTo(ArgoRig.Bytes(20, 9)));
    }
}

using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.XenVersion;
using XenLite.Tests.Harness;
using static XenLite.Tests.XenVersion.VersionGuest;

namespace XenLite.Tests.XenVersion;

/// <summary>XENVER_get_features: submap 0 per guest kind and role; other submaps refused.</summary>
[Category("xen_version")]
public class XenVersionFeatureTests
{
    static uint B(params int[] bits)
    {
        uint r = 0;
        foreach (int b in bits) r |= 1U << b;
        return r;
    }

    // What Xen's do_xen_version sets for each kind of caller.
    static readonly uint Common = B(XenFeat.MemoryOpVnodeSupported, XenFeat.RunstatePhysArea);
    static readonly uint X86 = Common | B(XenFeat.VcpuTimePhysArea, XenFeat.DmMsixAllWrites);
    static readonly uint Pv = X86 | B(XenFeat.MmuPtUpdatePreserveAd, XenFeat.HighmemAssist,
        XenFeat.GnttabMapAvailBits, XenFeat.DirectMapped);
    static readonly uint Hvm = X86 | B(XenFeat.WritablePageTables, XenFeat.AutoTranslatedPhysmap,
        XenFeat.HvmSafePvclock, XenFeat.HvmCallbackVector, XenFeat.NotDirectMapped);
    static readonly uint Arm = Common | B(XenFeat.WritablePageTables, XenFeat.AutoTranslatedPhysmap,
        XenFeat.ArmSmcccSupported, XenFeat.NotDirectMapped);

    static XenFeatureInfo Ask(TestMachine m, Domain d, uint idx)
    {
        m.PokeStruct(d, Buf, new XenFeatureInfo { SubmapIdx = idx, Submap = 0xDEAD_BEEF });
        long rc = VerBuf(m, d, XenVer.GetFeatures);
        Assert.That(rc, Is.EqualTo(0));
        return m.PeekStruct<XenFeatureInfo>(d, Buf);
    }

    static uint Dom0 => B(XenFeat.Dom0);

    [Test]
    public void PvDomU() => Check(GuestMode.Pv64, 1, Pv);
    [Test]
    public void Pv32DomU() => Check(GuestMode.Pv32, 1, Pv);
    [Test]
    public void PvDom0() => Check(GuestMode.Pv64, 0, Pv | Dom0);
    [Test]
    public void HvmDomU() => Check(GuestMode.Hvm64, 1, Hvm);
    [Test]
    public void Hvm32DomU() => Check(GuestMode.Hvm32, 1, Hvm);
    [Test]
    public void HvmDom0() => Check(GuestMode.Hvm64, 0, Hvm | Dom0);
    [Test]
    public void ArmDomU() => Check(GuestMode.Arm, 1, Arm);
    [Test]
    public void ArmDom0() => Check(GuestMode.Arm, 0, Arm | Dom0);

    static void Check(GuestMode mode, uint id, uint expected)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: id);
        var fi = Ask(m, d, 0);
        Assert.That(fi.Submap, Is.EqualTo(expected), $"got {fi.Submap:x8}, want {expected:x8}");
        Assert.That(fi.SubmapIdx, Is.EqualTo(0u));
    }

    [Test]
    public void PrivilegedButNotHardwareDomainLacksDom0Bit()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: true);
        Assert.That(Ask(m, d, 0).Submap & Dom0, Is.EqualTo(0u));
    }

    [Test]
    public void PaeExtendedCr3AssistAddsPaePgdirAbove4gb()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv32, id: 1);
        d.VmAssist |= 1UL << VmAssistType.PaeExtendedCr3;
        Assert.That(Ask(m, d, 0).Submap, Is.EqualTo(Pv | B(XenFeat.PaePgdirAbove4gb)));
    }

    [TestCase(1u)]
    [TestCase((uint)XenFeat.NrSubmaps)]
    [TestCase(0xFFFF_FFFFu)]
    public void OtherSubmapsAreEinvalAndLeaveTheBufferAlone(uint idx)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        m.PokeStruct(d, Buf, new XenFeatureInfo { SubmapIdx = idx, Submap = 0xDEAD_BEEF });
        Assert.That(VerBuf(m, d, XenVer.GetFeatures), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.PeekStruct<XenFeatureInfo>(d, Buf).Submap, Is.EqualTo(0xDEAD_BEEFu));
    }

    [Test]
    public void UnreadableBufferIsEfault([ValueSource(typeof(VersionGuest), nameof(AllModes))] GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode);
        Assert.That(Ver(m, d, XenVer.GetFeatures, BadAddr(d)), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void ReadableButReadOnlyBufferIsEfault()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64);
        m.PokeStruct(d, Buf, new XenFeatureInfo { SubmapIdx = 0, Submap = 0xDEAD_BEEF });
        PvPageTables.MakeReadOnly(m, d, Buf >> 12);
        Assert.That(VerBuf(m, d, XenVer.GetFeatures), Is.EqualTo(-Errno.EFAULT));
        Assert.That(m.PeekStruct<XenFeatureInfo>(d, Buf).Submap, Is.EqualTo(0xDEAD_BEEFu));
    }
}

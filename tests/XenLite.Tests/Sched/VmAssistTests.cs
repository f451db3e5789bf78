using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.Sched.SchedGuest;

namespace XenLite.Tests.Sched;

/// <summary>vm_assist: which VMASST types each kind of domain may turn on and off, and the errors.</summary>
[Category("vm_assist")]
public class VmAssistTests
{
    const int T4gbSegments = VmAssistType.FourGbSegments, T4gbNotify = VmAssistType.FourGbSegmentsNotify,
        TWritablePt = VmAssistType.WritablePagetables, TPaeCr3 = VmAssistType.PaeExtendedCr3,
        TIopl = VmAssistType.ArchitecturalIopl, TRunstate = VmAssistType.RunstateUpdateFlag, TM2p = VmAssistType.M2pStrict;

    /// <summary>The types Xen accepts per kind of domain (asm/domain.h masks), written out as lists.</summary>
    static int[] ValidTypes(GuestMode mode) => mode switch
    {
        GuestMode.Pv32 => new[] { T4gbSegments, T4gbNotify, TWritablePt, TPaeCr3, TIopl, TRunstate },
        GuestMode.Pv64 => new[] { T4gbSegments, T4gbNotify, TWritablePt, TPaeCr3, TIopl, TRunstate, TM2p },
        _ => new[] { TRunstate },
    };

    static long VmAssist(TestMachine m, Vcpu v, ulong cmd, ulong type) => m.Call(v, HypercallNumber.VmAssist, cmd, type);

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void EnableAndDisableExactlyTheValidTypes(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1);
        var v = d.Vcpus[0];
        Assert.Multiple(() =>
        {
            for (uint type = 0; type < 66; type++)
            {
                bool valid = System.Array.IndexOf(ValidTypes(mode), (int)type) >= 0;
                long expected = valid ? 0 : -Errno.EINVAL;
                Assert.That(VmAssist(m, v, VmAssistCmd.Enable, type), Is.EqualTo(expected), $"enable {type}");
                Assert.That(d.VmAssist, Is.EqualTo(valid ? 1UL << (int)type : 0), $"bits after enable {type}");
                Assert.That(VmAssist(m, v, VmAssistCmd.Disable, type), Is.EqualTo(expected), $"disable {type}");
                Assert.That(d.VmAssist, Is.Zero, $"bits after disable {type}");
            }
        });
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void AssistsAccumulateAndDisableClearsOnlyItsOwnBit(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1);
        var v = d.Vcpus[0];
        d.VmAssist = 1UL << 63; // a bit no guest can name stays untouched
        foreach (int t in ValidTypes(mode)) VmAssist(m, v, VmAssistCmd.Enable, (ulong)t);
        ulong all = 1UL << 63;
        foreach (int t in ValidTypes(mode)) all |= 1UL << t;
        Assert.That(d.VmAssist, Is.EqualTo(all));
        Assert.That(VmAssist(m, v, VmAssistCmd.Enable, TRunstate), Is.EqualTo(0), "enabling twice is fine");
        VmAssist(m, v, VmAssistCmd.Disable, TRunstate);
        Assert.That(d.VmAssist, Is.EqualTo(all & ~(1UL << TRunstate)));
    }

    [TestCaseSource(typeof(SchedGuest), nameof(AllModes))]
    public void AnUnknownCommandIsEnosysOnlyForAValidType(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, id: 1);
        var v = d.Vcpus[0];
        Assert.That(VmAssist(m, v, 2, TRunstate), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(VmAssist(m, v, 0xFFFF_FFFF, TRunstate), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(VmAssist(m, v, 2, 63), Is.EqualTo(-Errno.EINVAL), "the type is checked first");
        Assert.That(d.VmAssist, Is.Zero);
    }

    [TestCase(64ul)]
    [TestCase(0xFFFF_FFFFul)]
    public void TypesBeyondTheMaskAreEinval(ulong type)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, id: 1);
        Assert.That(VmAssist(m, d.Vcpus[0], VmAssistCmd.Enable, type), Is.EqualTo(-Errno.EINVAL));
        Assert.That(d.VmAssist, Is.Zero);
    }

    [Test]
    public void ArgumentsAre32BitUnsignedInts()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(VmAssist(m, d.Vcpus[0], 0x1_0000_0000, 0x1_0000_0000 | TRunstate), Is.EqualTo(0));
        Assert.That(d.VmAssist, Is.EqualTo(1UL << TRunstate));
    }

    [Test]
    public void TheMaskFollowsTheDomainNotTheVcpusCurrentMode()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1);
        var v = d.Vcpus[0];
        v.Mode = GuestMode.Hvm32; // an HVM vCPU in 32-bit mode is still in an HVM domain
        Assert.That(VmAssist(m, v, VmAssistCmd.Enable, TWritablePt), Is.EqualTo(-Errno.EINVAL));
        Assert.That(VmAssist(m, v, VmAssistCmd.Enable, TRunstate), Is.EqualTo(0));
    }
}

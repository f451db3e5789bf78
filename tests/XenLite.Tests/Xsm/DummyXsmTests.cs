using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Xsm;

namespace XenLite.Tests.Xsm;

/// <summary>DummyXsm against dummy.h: which default action (or fixed answer) each hook applies.</summary>
[Category("xsm")]
public class DummyXsmTests
{
    const int Ok = 0;
    const int No = -Errno.EPERM;

    static readonly string[] Scenarios = { "privileged→A", "A→A", "A→B", "dm→its target", "xenstore→A" };

    // What each action answers in the scenarios above; no two actions agree on all five, so a
    // hook that passes has exactly the expected action.
    static readonly Dictionary<XsmAction, int[]> Signature = new()
    {
        [XsmAction.Hook] = new[] { Ok, Ok, Ok, Ok, Ok },
        [XsmAction.Target] = new[] { Ok, Ok, No, Ok, No },
        [XsmAction.DmPriv] = new[] { Ok, No, No, Ok, No },
        [XsmAction.Priv] = new[] { Ok, No, No, No, No },
        [XsmAction.XsPriv] = new[] { Ok, No, No, Ok, Ok },
    };

    static (Domain Actor, Domain Object)[] Pairs(XsmCast c) =>
        new[] { (c.Dom0, c.A), (c.A, c.A), (c.A, c.B), (c.Dm, c.B), (c.Xs, c.A) };

    static IEnumerable<TestCaseData> Rows() =>
        DummyXsmHookTable.Rows().Select(r => new TestCaseData(r).SetName(r.ToString()));

    [TestCaseSource(nameof(Rows))]
    public void HookAppliesDummyHsDefault(HookCase row)
    {
        using var c = new XsmCast();
        var xsm = new DummyXsm();
        var pairs = Pairs(c);
        var got = pairs.Select(p => row.Call(xsm, p.Actor, p.Object)).ToArray();
        var want = row.Action is { } a ? Signature[a] : Enumerable.Repeat(row.Fixed, pairs.Length).ToArray();
        for (int i = 0; i < pairs.Length; i++)
            Assert.That(got[i], Is.EqualTo(want[i]), $"{row} in scenario {Scenarios[i]}");
    }

    [Test]
    public void SignaturesTellEveryActionApart()
    {
        var rows = Signature.Values.Select(s => string.Join(",", s)).ToArray();
        Assert.That(rows.Distinct().Count(), Is.EqualTo(rows.Length));
    }

    [Test]
    public void TableCoversEveryXsmHook()
    {
        var covered = DummyXsmHookTable.Rows().Select(r => r.Hook).Distinct().OrderBy(n => n);
        Assert.That(covered, Is.EqualTo(XsmHooks.Names.OrderBy(n => n)));
    }

    // XEN_DOMCTL_* that have their own hooks: bind_pt_irq, getdomaininfo, get_device_group,
    // get_domain_state, gsi_permission, iomem_permission, ioport_mapping, ioport_permission,
    // irq_permission, memory_mapping, set_target, unbind_pt_irq.
    [TestCase(38u), TestCase(5u), TestCase(50u), TestCase(90u), TestCase(88u), TestCase(20u),
     TestCase(40u), TestCase(21u), TestCase(19u), TestCase(39u), TestCase(46u), TestCase(48u)]
    public void DomctlRefusesCommandsThatHaveTheirOwnHookWithEilseq(uint cmd)
    {
        using var c = new XsmCast();
        Assert.That(new DummyXsm().Domctl(c.Dom0, c.Dom0, cmd, 0), Is.EqualTo(-Errno.EILSEQ));
        Assert.That(new DummyXsm().Domctl(c.Dm, c.B, cmd, 0), Is.EqualTo(-Errno.EILSEQ));
    }

    [TestCase(1u), TestCase(3u), TestCase(4u), TestCase(41u), TestCase(89u), TestCase(91u), TestCase(0xffffffffu)]
    public void DomctlOtherCommandsArePrivOnly(uint cmd)
    {
        using var c = new XsmCast();
        var xsm = new DummyXsm();
        Assert.That(xsm.Domctl(c.Dom0, c.A, cmd, 0), Is.EqualTo(Ok));
        Assert.That(xsm.Domctl(c.A, c.A, cmd, 0), Is.EqualTo(No));
        Assert.That(xsm.Domctl(c.Dm, c.B, cmd, 0), Is.EqualTo(No));
    }

    [Test]
    public void SetSystemActiveDropsTheIdleDomainsPrivilege()
    {
        using var c = new XsmCast();
        var idle = c.Special(DomainIds.Idle);
        idle.IsPrivileged = true;
        Assert.That(new DummyXsm().SetSystemActive(idle), Is.EqualTo(Ok));
        Assert.That(idle.IsPrivileged, Is.False);
    }

    [Test]
    public void SetSystemActiveFromAnyOtherDomainIsEpermAndKeepsItsPrivilege()
    {
        using var c = new XsmCast();
        Assert.That(new DummyXsm().SetSystemActive(c.Dom0), Is.EqualTo(No));
        Assert.That(c.Dom0.IsPrivileged, Is.True);
    }

    [Test]
    public void ConsoleIoIsOpenToAConsoleDomainWithoutPrivilege()
    {
        using var c = new XsmCast();
        c.A.IsConsole = true;
        Assert.That(new DummyXsm().ConsoleIo(c.A, 0), Is.EqualTo(Ok));
        Assert.That(new DummyXsm().ConsoleIo(c.B, 0), Is.EqualTo(No));
    }

    [Test]
    public void MmuUpdateSkipsTheOwnerCheckForDomIo()
    {
        using var c = new XsmCast();
        var io = c.Special(DomainIds.Io);
        var xsm = new DummyXsm();
        Assert.That(xsm.MmuUpdate(c.A, c.A, io, 0), Is.EqualTo(Ok), "MMIO into own tables");
        Assert.That(xsm.MmuUpdate(c.A, c.B, io, 0), Is.EqualTo(No), "MMIO into another's tables");
        Assert.That(xsm.MmuUpdate(c.A, null, io, 0), Is.EqualTo(Ok), "no table owner, DOMID_IO page owner");
    }

    [Test]
    public void MmuUpdateChecksBothPageOwnerAndTableOwner()
    {
        using var c = new XsmCast();
        var xsm = new DummyXsm();
        Assert.That(xsm.MmuUpdate(c.A, null, c.A, 0), Is.EqualTo(Ok), "own page, no table owner");
        Assert.That(xsm.MmuUpdate(c.A, null, c.B, 0), Is.EqualTo(No), "foreign page");
        Assert.That(xsm.MmuUpdate(c.A, c.B, c.A, 0), Is.EqualTo(No), "own page into foreign tables");
        Assert.That(xsm.MmuUpdate(c.Dm, c.Dm, c.B, 0), Is.EqualTo(Ok), "device model maps its target's page");
        Assert.That(xsm.MmuUpdate(c.Dm, c.A, c.B, 0), Is.EqualTo(No), "into a non-target's tables");
    }

    [Test]
    public void MemSharingOpIsCheckedAgainstTheClientDomain()
    {
        using var c = new XsmCast();
        var xsm = new DummyXsm();
        Assert.That(xsm.MemSharingOp(c.Dm, c.A, c.B, 0), Is.EqualTo(Ok));
        Assert.That(xsm.MemSharingOp(c.Dm, c.B, c.A, 0), Is.EqualTo(No));
    }

    [Test]
    public void PmuOpLooksOnlyAtTheCallingDomain()
    {
        using var c = new XsmCast();
        // Xen passes the caller as d; whether it is a device model or not makes no difference.
        Assert.That(new DummyXsm().PmuOp(c.Dm, 1), Is.EqualTo(No));
        Assert.That(new DummyXsm().PmuOp(c.Dm, 4), Is.EqualTo(Ok));
    }

    [Test]
    public void AltP2mModeDecidesEvenForThePrivilegedDomain()
    {
        using var c = new XsmCast();
        // Disabled or unknown modes refuse outright: not even the control domain gets through.
        Assert.That(new DummyXsm().HvmAltp2mhvmOp(c.Dom0, c.A, 0, 3), Is.EqualTo(No));
        Assert.That(new DummyXsm().HvmAltp2mhvmOp(c.Dom0, c.A, 0xff, 3), Is.EqualTo(No));
        Assert.That(new DummyXsm().HvmAltp2mhvmOp(c.Dom0, c.A, 2, 3), Is.EqualTo(Ok));
    }

    [Test]
    public void DummyModuleIsNamedDummy() => Assert.That(new DummyXsm().Name, Is.EqualTo("dummy"));
}

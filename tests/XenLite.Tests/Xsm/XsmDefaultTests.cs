using System.Collections.Generic;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Xsm;

namespace XenLite.Tests.Xsm;

/// <summary>xsm_default_action (dummy.h): every action against every kind of (source, target) pair.</summary>
[Category("xsm")]
public class XsmDefaultTests
{
    const int Ok = 0;
    const int No = -Errno.EPERM;

    // Columns: privileged→A, A→A (self), A→B (other), Dm→B (target-of), Dm→A, xenstore→A,
    //          then with no target: A, Dm, dom0, xenstore.
    static readonly string[] Scenarios =
    {
        "privileged", "self", "other", "target-of", "dm-on-other", "xenstore",
        "plain-no-target", "dm-no-target", "privileged-no-target", "xenstore-no-target",
    };

    static readonly (XsmAction Action, int[] Expected)[] Matrix =
    {
        (XsmAction.Hook,   new[] { Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok }),
        (XsmAction.Target, new[] { Ok, Ok, No, Ok, No, No, No, No, Ok, No }),
        (XsmAction.DmPriv, new[] { Ok, No, No, Ok, No, No, No, No, Ok, No }),
        (XsmAction.Priv,   new[] { Ok, No, No, No, No, No, No, No, Ok, No }),
        (XsmAction.XsPriv, new[] { Ok, No, No, Ok, No, Ok, No, No, Ok, Ok }),
        // XSM_OTHER never reaches xsm_default_action in Xen (a link-time error); refusing is the safe answer.
        (XsmAction.Other,  new[] { No, No, No, No, No, No, No, No, No, No }),
    };

    static (Domain Src, Domain Target) Pick(XsmCast c, string scenario) => scenario switch
    {
        "privileged" => (c.Dom0, c.A),
        "self" => (c.A, c.A),
        "other" => (c.A, c.B),
        "target-of" => (c.Dm, c.B),
        "dm-on-other" => (c.Dm, c.A),
        "xenstore" => (c.Xs, c.A),
        "plain-no-target" => (c.A, null),
        "dm-no-target" => (c.Dm, null),
        "privileged-no-target" => (c.Dom0, null),
        "xenstore-no-target" => (c.Xs, null),
        _ => throw new System.ArgumentException(scenario),
    };

    static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (action, expected) in Matrix)
            for (int i = 0; i < Scenarios.Length; i++)
                yield return new TestCaseData(action, Scenarios[i], expected[i]).SetName($"Check({action}, {Scenarios[i]}) is {expected[i]}");
    }

    [TestCaseSource(nameof(Cases))]
    public void CheckMatchesXsmDefaultAction(XsmAction action, string scenario, int expected)
    {
        using var c = new XsmCast();
        var (src, target) = Pick(c, scenario);
        Assert.That(XsmDefault.Check(action, src, target), Is.EqualTo(expected));
    }

    [Test]
    public void PrivilegeIsTheControlDomainFlagNotTheDomainId()
    {
        using var c = new XsmCast();
        c.Dom0.IsPrivileged = false;
        c.A.IsPrivileged = true;
        Assert.That(XsmDefault.Check(XsmAction.Priv, c.Dom0, null), Is.EqualTo(No));
        Assert.That(XsmDefault.Check(XsmAction.Priv, c.A, null), Is.EqualTo(Ok));
    }

    [Test]
    public void XenstoreGetsNoExtraRightsFromTargetOrDmPrivActions()
    {
        using var c = new XsmCast();
        // Only XSM_XS_PRIV looks at is_xenstore_domain; the other actions fall past it.
        Assert.That(XsmDefault.Check(XsmAction.Target, c.Xs, c.A), Is.EqualTo(No));
        Assert.That(XsmDefault.Check(XsmAction.DmPriv, c.Xs, c.A), Is.EqualTo(No));
        Assert.That(XsmDefault.Check(XsmAction.XsPriv, c.Xs, c.A), Is.EqualTo(Ok));
    }
}

using System.Linq;
using System.Reflection;
using NUnit.Framework;
using XenLite.Hv.Xsm;

namespace XenLite.Tests.Xsm;

/// <summary>XsmHooks.Names against the XsmModule contract.</summary>
[Category("xsm")]
public class XsmHooksTests
{
    // Counted in struct xsm_ops (xsm.h + hooks.h) of Xen 4.22.0 and of master at c447b73.
    const int XenHookCount = 87;

    static string Pascal(string xenName) =>
        string.Concat(xenName.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    static string[] AbstractHookMethods() =>
        typeof(XsmModule).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.IsAbstract && !m.IsSpecialName)
            .Select(m => m.Name)
            .ToArray();

    [Test]
    public void ThereAreAsManyNamesAsXenHasHooks()
    {
        Assert.That(XsmHooks.Names, Has.Length.EqualTo(XenHookCount));
        Assert.That(XsmHooks.Count, Is.EqualTo(XenHookCount));
        Assert.That(XsmHooks.Names, Is.Unique);
    }

    [Test]
    public void EveryNameIsAnAbstractMethodAndEveryAbstractMethodIsAName()
    {
        var methods = AbstractHookMethods();
        Assert.That(methods, Is.Unique, "one method per hook, no overloads");
        Assert.That(methods.OrderBy(n => n), Is.EqualTo(XsmHooks.Names.Select(Pascal).OrderBy(n => n)));
    }

    [Test]
    public void XenNamesAreLowerSnakeCaseWithoutThePrefix()
    {
        foreach (var n in XsmHooks.Names)
            Assert.That(n, Does.Match("^[a-z][a-z0-9]*(_[a-z0-9]+)*$").And.Not.StartWith("xsm_"));
    }

    [Test]
    public void NamesFollowXsmOpsOrder()
    {
        // Spot checks of master's order: the two ops before hooks.h, hooks.h's first and last,
        // the non-access hooks after it, then Argo.
        Assert.That(XsmHooks.Names[..3], Is.EqualTo(new[] { "set_system_active", "security_domaininfo", "domain_create" }));
        Assert.That(XsmHooks.Names[75..77], Is.EqualTo(new[] { "do_compat_op", "evtchn_close_post" }));
        Assert.That(XsmHooks.Names[^1], Is.EqualTo("argo_send"));
    }
}

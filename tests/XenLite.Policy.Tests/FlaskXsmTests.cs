using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;

namespace XenLite.Policy.Tests;

/// <summary>Hook decisions under the default policy: dom0 allowed, domU denied where Xen denies.</summary>
[Category("flask")]
public class FlaskXsmTests
{
    FlaskRig _rig;

    [SetUp] public void SetUp() => _rig = new FlaskRig();
    [TearDown] public void TearDown() => _rig.Dispose();

    [Test]
    public void DomctlFollowsTheDomainClass()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        var domU = _rig.Domain(1, "domU_t", dom0);
        var other = _rig.Domain(2, "domU_t", dom0);
        Assert.That(_rig.Xsm.Domctl(dom0, domU, 3, 0), Is.EqualTo(0), "dom0 pauses domU");
        Assert.That(_rig.Xsm.Domctl(dom0, domU, 2, 0), Is.EqualTo(0), "dom0 destroys domU");
        Assert.That(_rig.Xsm.Domctl(domU, other, 2, 0), Is.EqualTo(-Errno.EACCES), "domU cannot destroy another domU");
        Assert.That(_rig.Xsm.Domctl(domU, dom0, 3, 0), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Xsm.Domctl(dom0, domU, 5, 0), Is.EqualTo(-Errno.EILSEQ), "getdomaininfo has its own hook");
        Assert.That(_rig.Xsm.Domctl(dom0, null, 1, _rig.Sid("domU_t")), Is.EqualTo(0), "createdomain checks the ssidref");
        Assert.That(_rig.Xsm.Domctl(domU, null, 1, _rig.Sid("domU_t")), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void DomainCreateAppliesSelfTransitionAndTheDom0Singleton()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        var domU = _rig.Domain(1, "domU_t", dom0);
        uint ssid = 0;
        _rig.Xsm.SecurityDomaininfo(domU, ref ssid);
        Assert.That(ssid, Is.EqualTo(_rig.Sid("domU_t")));
        // Acting on itself, domU is domU_t_self: it may map its own memory but not through domU_t.
        Assert.That(_rig.Xsm.MemoryAdjustReservation(domU, domU), Is.EqualTo(0));
        var second = _rig.Hv.CreateDomain(new XenLite.Hv.Common.DomainConfig { Id = 5, Mode = GuestMode.Hvm64, Vcpus = 1, Pages = 1 });
        _rig.Xsm.AllocSecurityDomain(second);
        Assert.That(_rig.Xsm.DomainCreate(dom0, second, _rig.Sid("dom0_t")), Is.EqualTo(-Errno.EACCES), "dom0_t may not create dom0_t");
        Assert.That(_rig.Xsm.DomainCreate(domU, second, _rig.Sid("domU_t")), Is.EqualTo(-Errno.EACCES), "domU may not create domains");
        // Built at boot (no caller): the hypervisor acts as xenboot_t.
        Assert.That(_rig.Xsm.DomainCreate(null, second, _rig.Sid("isolated_domU_t")), Is.EqualTo(-Errno.EACCES), "xenboot_t does not build isolated guests");
        Assert.That(_rig.Xsm.DomainCreate(null, second, _rig.Sid("domU_t")), Is.EqualTo(0));
    }

    [Test]
    public void BootLabelsAreThePolicysLabelsThenTheDomainInitialSids()
    {
        Assert.That(_rig.Xsm.BootLabel("isolated"u8, out uint sid), Is.EqualTo(0));
        Assert.That(sid, Is.EqualTo(_rig.Sid("isolated_domU_t")));
        Assert.That(_rig.Xsm.BootLabel("device-model"u8, out sid), Is.EqualTo(0));
        Assert.That(sid, Is.EqualTo(_rig.Sid("dm_dom_t")));
        Assert.That(_rig.Xsm.BootLabel("isolatd"u8, out sid), Is.EqualTo(-Errno.ENOENT), "a typo is not a default type");
        Assert.That(_rig.Xsm.BootLabel("dom0_t"u8, out sid), Is.EqualTo(-Errno.ENOENT), "labels, not type names");
        Assert.That(_rig.Xsm.BootLabel(""u8, out sid), Is.EqualTo(0), "no label: the default");
        Assert.That(sid, Is.Zero);

        using var locked = new FlaskRig(Compiler.Compile(PolicyFiles.Shipped("demo-locked.js")).Blob);
        Assert.That(locked.Xsm.BootLabel("dom0"u8, out sid), Is.EqualTo(0), "demo-locked.js has no label() but declares sid dom0");
        Assert.That(sid, Is.EqualTo(locked.Sid("dom0_t")));
        Assert.That(locked.Xsm.BootLabel("domU"u8, out _), Is.EqualTo(-Errno.ENOENT), "nor a domU type to give");
    }

    [Test]
    public void ConsoleAndVersionFollowGuestFeatures()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        var domU = _rig.Domain(1, "domU_t", dom0);
        Assert.That(_rig.Xsm.ConsoleIo(dom0, ConsoleIoCmd.Read), Is.EqualTo(0));
        Assert.That(_rig.Xsm.ConsoleIo(domU, ConsoleIoCmd.Write), Is.EqualTo(0), "guest_writeconsole defaults to true");
        Assert.That(_rig.Xsm.ConsoleIo(domU, ConsoleIoCmd.Read), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Xsm.XenVersion(domU, XenVer.Capabilities), Is.EqualTo(0));
        Assert.That(_rig.Xsm.XenVersion(domU, XenVer.Commandline), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Xsm.XenVersion(dom0, XenVer.Commandline), Is.EqualTo(0));
        Assert.That(_rig.Xsm.XenVersion(domU, XenVer.Version), Is.EqualTo(0), "unchecked sub-op");
    }

    [Test]
    public void BooleansChangeDecisionsAfterCommit()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        var domU = _rig.Domain(1, "domU_t", dom0);
        int b = _rig.Policy.BoolIndex("guest_writeconsole"u8);
        _rig.Policy.BoolPending[b] = 0;
        Assert.That(_rig.Xsm.ConsoleIo(domU, ConsoleIoCmd.Write), Is.EqualTo(0), "pending until committed");
        _rig.Policy.CommitBooleans();
        Assert.That(_rig.Xsm.ConsoleIo(domU, ConsoleIoCmd.Write), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Console, Is.Empty, "dontaudit: the denial is not logged");
    }

    [Test]
    public void DenialsAreLoggedAndRateLimited()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        var domU = _rig.Domain(1, "domU_t", dom0);
        for (int i = 0; i < AvcLog.Burst + 5; i++) _rig.Xsm.Kexec(domU);
        Assert.That(_rig.Console, Does.StartWith("avc: denied { kexec } for domid=1 scontext=system_u:system_r:domU_t tcontext=system_u:system_r:xen_t tclass=xen\n"));
        Assert.That(_rig.Xsm.Avc.Written, Is.EqualTo((ulong)AvcLog.Burst));
        Assert.That(_rig.Xsm.Avc.Suppressed, Is.EqualTo(5ul));
        _rig.Now += AvcLog.WindowNs;
        _rig.Xsm.Kexec(domU);
        Assert.That(_rig.Console, Does.Contain("avc: 5 messages suppressed\n"));
    }

    [Test]
    public void AuditallowLogsGrants()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        Assert.That(_rig.Xsm.HasPerm(dom0, _rig.Xsm.DomainSid(dom0), _rig.Sid("security_t"), FlaskSchema.ClassSecurity, Perm.Security.Setenforce), Is.EqualTo(0));
        Assert.That(_rig.Console, Does.StartWith("avc: granted { setenforce } for domid=0"));
    }

    [Test]
    public void PermissiveModeAndPermissiveTypesOnlyLog()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        var domU = _rig.Domain(1, "domU_t", dom0);
        _rig.Xsm.Enforcing = false;
        Assert.That(_rig.Xsm.Kexec(domU), Is.EqualTo(0));
        Assert.That(_rig.Console, Does.Contain("avc: denied { kexec }"));

        var cp = Compiler.Compile(System.IO.Path.Combine(PolicyFiles.Scratch(("p.js", PolicyFiles.Prelude +
            "allow(\"xen_t\", \"dom0_t\", \"domain\", \"create\");\nsid(\"xenboot\", \"xen_t\");\npermissive(\"domU_t\");\nallow(\"xen_t\", \"domU_t\", \"domain\", \"create\");\n")), "p.js"));
        Assert.That(cp.Diagnostics, Is.Empty);
        using var rig = new FlaskRig(cp.Blob);
        var d0 = rig.Domain(0, "dom0_t");
        var dU = rig.Domain(1, "domU_t");
        Assert.That(rig.Xsm.Kexec(d0), Is.EqualTo(-Errno.EACCES));
        Assert.That(rig.Xsm.Kexec(dU), Is.EqualTo(0), "domU_t is permissive");
    }

    [Test]
    public void EventChannelsAreLabelledByTransition()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        var domU = _rig.Domain(1, "domU_t", dom0);
        var iso = _rig.Domain(2, "isolated_domU_t", dom0);
        Assert.That(_rig.Xsm.EvtchnUnbound(domU, domU, 5, 0), Is.EqualTo(0), "domU offers a port to dom0");
        Assert.That(_rig.Xsm.PortSid(domU, 5), Is.EqualTo(_rig.Sid("domU_t_channel")));
        Assert.That(_rig.Xsm.EvtchnSend(domU, 5), Is.EqualTo(0));
        Assert.That(_rig.Xsm.EvtchnInterdomain(dom0, 3, domU, 5), Is.EqualTo(0), "dom0 binds to it");
        Assert.That(_rig.Xsm.EvtchnUnbound(domU, domU, 6, 2), Is.EqualTo(-Errno.EACCES), "no channel from domU to an isolated domain");
        Assert.That(_rig.Xsm.EvtchnUnbound(iso, iso, 1, 1), Is.EqualTo(-Errno.EACCES), "nor the other way");
        _rig.Xsm.EvtchnClosePost(domU, 5);
        Assert.That(_rig.Xsm.PortSid(domU, 5), Is.EqualTo(0u));
    }

    [Test]
    public void GrantsMemoryAndDeviceModel()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        var domU = _rig.Domain(1, "domU_t", dom0);
        var iso = _rig.Domain(2, "isolated_domU_t", dom0);
        var dm = _rig.Domain(3, "dm_dom_t", dom0);
        Assert.That(_rig.Xsm.GrantMapref(domU, dom0, 0), Is.EqualTo(0));
        Assert.That(_rig.Xsm.GrantMapref(domU, iso, 4), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Xsm.MapGmfnForeign(dom0, domU), Is.EqualTo(0));
        Assert.That(_rig.Xsm.MapGmfnForeign(domU, dom0), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Xsm.DmOp(dm, domU), Is.EqualTo(-Errno.EACCES), "not yet its device model");
        Assert.That(_rig.Xsm.SetTarget(dom0, dm, domU), Is.EqualTo(0));
        dm.Target = domU;
        Assert.That(_rig.Xsm.DmOp(dm, domU), Is.EqualTo(0), "domU is domU_t_target to its device model");
        Assert.That(_rig.Xsm.PrivMapping(dm, domU), Is.EqualTo(0));
        Assert.That(_rig.Xsm.SetTarget(domU, dm, domU), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void SysctlPlatformAndResources()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        var domU = _rig.Domain(1, "domU_t", dom0);
        Assert.That(_rig.Xsm.Sysctl(dom0, 3, 0), Is.EqualTo(0), "physinfo");
        Assert.That(_rig.Xsm.Sysctl(domU, 3, 0), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Xsm.Sysctl(dom0, 1, 1), Is.EqualTo(0), "readconsole with clear");
        Assert.That(_rig.Xsm.PlatformOp(dom0, 17), Is.EqualTo(0), "settime32");
        Assert.That(_rig.Xsm.PlatformOp(domU, 17), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Xsm.PlatformOp(dom0, 9999), Is.EqualTo(-Errno.EPERM), "unknown op while enforcing");
        Assert.That(_rig.Xsm.IomemPermission(dom0, domU, 0xF0000, 0xF0010, 1), Is.EqualTo(-Errno.EACCES), "domU may not use iomem_t");
        Assert.That(_rig.Xsm.IrqPermission(dom0, domU, 5, 1), Is.EqualTo(0), "dom0 delegates to domU");
        Assert.That(_rig.Xsm.IrqPermission(domU, dom0, 5, 1), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Xsm.PmuOp(domU, 4), Is.EqualTo(0), "pmu_use");
        Assert.That(_rig.Xsm.PmuOp(domU, 1), Is.EqualTo(-Errno.EACCES), "pmu_ctrl");
        Assert.That(_rig.Xsm.ArgoSend(domU, dom0), Is.EqualTo(0));
        Assert.That(_rig.Xsm.HypfsOp(domU), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void LoadingANewPolicyCarriesLabelsOverByTypeName()
    {
        var dom0 = _rig.Domain(0, "dom0_t");
        var domU = _rig.Domain(1, "domU_t", dom0);
        Assert.That(_rig.Xsm.EvtchnUnbound(domU, domU, 5, 0), Is.EqualTo(0));
        Assert.That(_rig.Xsm.Kexec(dom0), Is.EqualTo(0));
        // A policy with the types in another order, where dom0 may no longer kexec.
        var cp = Compiler.Compile(System.IO.Path.Combine(PolicyFiles.Scratch(("p.js",
            "import { type, allow, sid } from \"xenlite\";\ntype(\"domU_t_channel\");\ntype(\"domU_t\");\ntype(\"xen_t\");\ntype(\"dom0_t\");\n" +
            "sid(\"unlabeled\", \"xen_t\");\nsid(\"xen\", \"xen_t\");\nallow(\"dom0_t\", \"domU_t\", \"domain\", \"pause\");\n")), "p.js"));
        Assert.That(cp.Diagnostics, Is.Empty);
        Assert.That(PolicyReader.Read(cp.Blob, out FlaskPolicy next), Is.EqualTo(0));
        _rig.Xsm.Load(next);
        Assert.That(_rig.Xsm.DomainSid(domU), Is.EqualTo(next.TypeSid("domU_t"u8)));
        Assert.That(_rig.Xsm.PortSid(domU, 5), Is.EqualTo(next.TypeSid("domU_t_channel"u8)));
        Assert.That(_rig.Xsm.Domctl(dom0, domU, 3, 0), Is.EqualTo(0));
        Assert.That(_rig.Xsm.Kexec(dom0), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void BootParameterValues()
    {
        Assert.That(FlaskBootParam.Parse("enforcing"u8), Is.EqualTo(FlaskMode.Enforcing));
        Assert.That(FlaskBootParam.Parse("permissive"u8), Is.EqualTo(FlaskMode.Permissive));
        Assert.That(FlaskBootParam.Parse("disabled"u8), Is.EqualTo(FlaskMode.Disabled));
        Assert.That(FlaskBootParam.Parse("late"u8), Is.EqualTo(FlaskMode.Late));
        Assert.That(FlaskBootParam.Parse("Enforcing"u8), Is.EqualTo(FlaskMode.Invalid));
    }

    [Test]
    public void WithoutAPolicyEverythingIsAllowed()
    {
        var xsm = new FlaskXsm(null, enforcing: true);
        var dom0 = _rig.Domain(0, "dom0_t");
        Assert.That(xsm.Kexec(dom0), Is.EqualTo(0));
    }
}

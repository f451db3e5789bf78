using System;
using System.Runtime.InteropServices;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Arch.Arm64;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>
/// The host /chosen strings split between the hypervisor and dom0 (Xen's booting.txt rules:
/// xen,xen-bootargs for Xen, xen,dom0-bootargs for dom0, bootargs for whichever has none),
/// and dom0's share reaching the /chosen bootargs of the device tree it boots with.
/// </summary>
[Category("arm64_boot")]
[Category("fdt")]
public unsafe class ChosenBootargsTests
{
    IntPtr[] _strings = Array.Empty<IntPtr>();

    [TearDown]
    public void Free()
    {
        foreach (IntPtr p in _strings) Marshal.FreeHGlobal(p);
        _strings = Array.Empty<IntPtr>();
    }

    byte* Native(string s, out int length)
    {
        length = 0;
        if (s == null) return null;
        byte[] b = Encoding.ASCII.GetBytes(s + "\0");
        IntPtr p = Marshal.AllocHGlobal(b.Length);
        Marshal.Copy(b, 0, p, b.Length);
        Array.Resize(ref _strings, _strings.Length + 1);
        _strings[^1] = p;
        length = s.Length;
        return (byte*)p;
    }

    ChosenBootargs Chosen(string bootargs, string xen, string dom0)
    {
        var c = new ChosenBootargs();
        c.Bootargs = Native(bootargs, out c.BootargsLength);
        c.XenBootargs = Native(xen, out c.XenBootargsLength);
        c.Dom0Bootargs = Native(dom0, out c.Dom0BootargsLength);
        return c;
    }

    static string Managed(byte* p, int length) => p == null ? null : Encoding.ASCII.GetString(p, length);

    [TestCase("console=dtuart argo=1", null, null, "console=dtuart argo=1", null, TestName = "BootargsAloneAreTheHypervisorsAndDom0GetsNone")]
    [TestCase("console=dtuart argo=1", null, "argo=1", "console=dtuart argo=1", "argo=1", TestName = "XenDom0BootargsAreDom0sAndBootargsStayTheHypervisors")]
    [TestCase("root=/dev/ram", "console=dtuart", null, "console=dtuart", "root=/dev/ram", TestName = "XenXenBootargsAreTheHypervisorsAndBootargsGoToDom0")]
    [TestCase("native linux", "console=dtuart", "argo=1", "console=dtuart", "argo=1", TestName = "WithBothXenPropertiesBootargsAreNobodys")]
    [TestCase(null, null, "argo=1", null, "argo=1", TestName = "XenDom0BootargsAloneLeaveTheHypervisorNone")]
    [TestCase(null, null, null, null, null, TestName = "NoChosenStringsAtAll")]
    public void EachCommandLineGoesWhereXenSendsIt(string bootargs, string xen, string dom0, string expectHypervisor, string expectDom0)
    {
        var c = Chosen(bootargs, xen, dom0);
        Assert.That(Managed(c.Hypervisor(out int hn), hn), Is.EqualTo(expectHypervisor));
        Assert.That(Managed(c.Dom0(out int dn), dn), Is.EqualTo(expectDom0));
    }

    [Test]
    public void ADom0KernelWithItsOwnBootargsKeepsThem()
    {
        using var bed = new Arm64Bed();
        var spec = bed.Spec("embedded", Arm64Bed.Image(), bootargs: "port=7");
        Chosen("console=dtuart", null, "argo=1").ApplyTo(spec);
        Assert.That(Managed(spec.Bootargs, spec.BootargsLength), Is.EqualTo("port=7"));
        Chosen("console=dtuart", null, "argo=1").ApplyTo(null);   // no initial domain: nothing to do
    }

    [Test]
    public void Dom0FromTheInitrdBootsWithXenDom0BootargsInItsChosenNode()
    {
        using var bed = new Arm64Bed();
        var spec = bed.Spec("initrd", Arm64Bed.Image());   // -initrd: no command line of its own
        Chosen("console=dtuart loglvl=all argo=1", null, "argo=1 agent.mode=x").ApplyTo(spec);
        var d = Arm64Builder.Build(bed.Host, spec, 0, true, 0);
        Assert.That(d, Is.Not.Null, bed.M.Platform.ConsoleText);
        ulong tree = d.Vcpus[0].Regs[0];
        byte[] header = bed.M.Peek(d, tree, 8);
        int total = header[4] << 24 | header[5] << 16 | header[6] << 8 | header[7];
        var p = GuestDeviceTreeTests.Parse(bed.M.Peek(d, tree, total));
        Assert.That(Encoding.ASCII.GetString(p["/chosen/bootargs"]), Is.EqualTo("argo=1 agent.mode=x\0"));
    }
}

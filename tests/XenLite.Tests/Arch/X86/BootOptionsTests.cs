using System.Text;
using NUnit.Framework;
using XenLite.Hv.Arch.X86;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Arch.X86;

[Category("x86_boot")]
public unsafe class BootOptionsTests
{
    static BootOptions Parse(string line, out string console)
    {
        using var m = new TestMachine();
        byte[] b = Encoding.ASCII.GetBytes(line);
        BootOptions o;
        fixed (byte* p = b) o = BootOptions.Parse(m.Hv.Console, p, b.Length);
        console = m.Platform.ConsoleText;
        return o;
    }

    [TestCase("loglvl=none", BootOptions.LogNone)]
    [TestCase("loglvl=error", BootOptions.LogError)]
    [TestCase("loglvl=info/warning", BootOptions.LogInfo)]
    [TestCase("loglvl=debug", BootOptions.LogDebug)]
    [TestCase("loglvl=all", BootOptions.LogAll)]
    [TestCase("", BootOptions.LogWarning)]
    public void LoglvlTakesXensLevelNames(string line, int level)
    {
        Assert.That(Parse(line, out string console).LogLevel, Is.EqualTo(level));
        Assert.That(console, Is.Empty);
    }

    [TestCase("dom0_mem=512M", 512UL << 20)]
    [TestCase("dom0_mem=1G", 1UL << 30)]
    [TestCase("dom0_mem=4096", 4096UL << 10)] // no unit: KiB, as parse_size_and_unit
    [TestCase("dom0_mem=8192k", 8192UL << 10)]
    public void Dom0MemTakesASizeWithUnit(string line, ulong bytes) =>
        Assert.That(Parse(line, out _).Dom0Memory, Is.EqualTo(bytes));

    [TestCase("dom0_mem=lots", "(XEN) parameter \"dom0_mem\" has invalid value \"lots\", rc=-22!\n")]
    [TestCase("loglvl=", "(XEN) parameter \"loglvl\" has invalid value \"\", rc=-22!\n")]
    [TestCase("console=lpt1", "(XEN) parameter \"console\" has invalid value \"lpt1\", rc=-22!\n")]
    public void ABadValueIsReportedAndTheDefaultKept(string line, string message)
    {
        var o = Parse(line, out string console);
        Assert.That(console, Is.EqualTo(message));
        Assert.That(o.LogLevel, Is.EqualTo(BootOptions.LogWarning));
        Assert.That(o.Dom0Memory, Is.Zero);
    }

    [TestCase("console=com1")]
    [TestCase("console=none")]
    [TestCase("console=vga,com1")]
    public void XensConsoleDevicesAreAccepted(string line)
    {
        Parse(line, out string console);
        Assert.That(console, Is.Empty);
    }

    [Test]
    public void EachUnknownWordIsReportedOnceInOrder()
    {
        Parse("  a=1   console=com1 b  ", out string console);
        Assert.That(console, Is.EqualTo("(XEN) parameter \"a\" unknown!\n(XEN) parameter \"b\" unknown!\n"));
    }

    [TestCase("argo=1,mac-permissive=1")]
    [TestCase("flask=enforcing")]
    [TestCase("crashkernel=64M")]
    [TestCase("conswitch=x")]
    public void OptionsReadByPluginsAreNotCalledUnknown(string line)
    {
        Parse(line, out string console);
        Assert.That(console, Is.Empty);
    }
}

using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using XenLite.ImageBuilder;
using XenLite.ImageBuilder.Config;

namespace XenLite.Builder.Tests;

/// <summary>Image configs: the shipped ones load; every kind of mistake is reported at file:line:col naming the key.</summary>
[Category("image_config")]
[NonParallelizable] // environment variables are process-wide
public class ImageConfigTests
{
    ConfigFiles _files;

    [SetUp]
    public void Files() => _files = new ConfigFiles();

    [TearDown]
    public void Clean()
    {
        _files.Dispose();
        foreach (string v in new[] { "XENLITE_GUESTS__0__MEMORY", "XENLITE_GUESTS__0__VCPUS", "XENLITE_ARCH", "XENLITE_GUESTS__0__MEMROY" })
            Environment.SetEnvironmentVariable(v, null);
    }

    string Error(string json, params string[] sets) => _files.Errors(json, sets).Single().ToString();

    string At(int line, int col) => $"{Path.Combine(_files.Dir, "image.json")}:{line}:{col}: ";

    const string OneGuest = "{\n  \"arch\": \"x86_64\",\n  \"guests\": [\n    { \"label\": \"dom0\", \"image\": \"guest.elf\", \"memory\": 64 }\n  ]\n}";

    [Test]
    public void TheShippedConfigsLoad()
    {
        var demo = ImageConfigLoader.Load(RepoDir.Of("images/demo.json"));
        Assert.That(demo.Options.Arch, Is.EqualTo("x86_64"));
        Assert.That(demo.Plugins.Where(p => p.Enabled).Select(p => p.Name), Is.EquivalentTo(new[] { "argo", "hypfs", "kexec", "xenoprof" }));
        Assert.That(demo.Options.Guests.Single().Label, Is.EqualTo("dom0"));
        var minimal = ImageConfigLoader.Load(RepoDir.Of("images/minimal.json"));
        Assert.That(minimal.Plugins, Is.Empty);
        if (!File.Exists(RepoDir.Of("images/out/testguest-arm64.bin"))) Assert.Ignore("images/out/testguest-arm64.bin is not built (./build.sh image --arch arm64)");
        var edge = ImageConfigLoader.Load(RepoDir.Of("images/edge.json"));
        Assert.That(edge.Options.Guests.Select(g => g.Label), Is.EqualTo(new[] { "sensor", "analytics", "uplink" }));
        Assert.That(edge.PluginEnabled("flask"), Is.True);
    }

    [Test]
    public void ValuesAreBoundToTypedOptions()
    {
        var c = _files.Load("{ \"arch\": \"arm64\", \"hypervisor\": { \"cmdline\": \"loglvl=all\", \"console\": \"dtuart\" },\n"
            + " \"plugins\": { \"argo\": { \"options\": { \"argo\": \"1\" } }, \"kexec\": false },\n"
            + " \"guests\": [ { \"label\": \"a\", \"image\": \"guest.elf\", \"kind\": \"arm\", \"memory\": 32, \"memoryBase\": \"0x48000000\", \"vcpus\": 2, \"cmdline\": \"x=1\", \"privileged\": true },\n"
            + "              { \"label\": \"b\", \"image\": \"guest.elf\", \"memory\": 16 } ] }");
        var g = c.Options.Guests;
        Assert.That((g[0].Label, g[0].Kind, g[0].Memory, g[0].MemoryBase, g[0].Vcpus, g[0].Cmdline, g[0].Privileged, g[0].Embedded),
            Is.EqualTo(("a", "arm", 32, "0x48000000", 2, "x=1", (bool?)true, true)));
        Assert.That((g[1].Vcpus, g[1].Privileged, ImageConfigRules.GuestKind("arm64", g[1])), Is.EqualTo((1, (bool?)null, "arm")));
        Assert.That(c.Plugins.Single(p => p.Name == "argo").Enabled, Is.True, "an object entry is enabled unless it says otherwise");
        Assert.That(c.Plugins.Single(p => p.Name == "kexec").Enabled, Is.False);
        Assert.That(ImageBuild.CommandLine(c), Is.EqualTo("console=dtuart argo=1 dom0_mem=32M loglvl=all"));
    }

    [Test]
    public void AnUnknownKeyIsReportedAtTheKey()
    {
        Assert.That(Error("{\n  \"arch\": \"x86_64\",\n  \"gusets\": []\n}"), Does.StartWith(At(3, 3) + "unknown key 'gusets' (known: name, description, arch"));
        Assert.That(Error(OneGuest.Replace("\"memory\"", "\"memroy\"")), Does.StartWith(At(4, 46) + "unknown key 'guests:0:memroy' (known: label, image, kind, memory"));
    }

    [Test]
    public void WrongTypesAreReportedAtTheValue()
    {
        Assert.That(Error(OneGuest.Replace("\"memory\": 64", "\"memory\": \"64\"")), Is.EqualTo(At(4, 56) + "'guests:0:memory' must be an integer from 1 to 65536, not a string"));
        Assert.That(Error("{\n  \"guests\": { \"label\": \"x\" }\n}"), Is.EqualTo(At(2, 13) + "'guests' must be an array, not an object"));
        Assert.That(Error("{ \"plugins\": {\n   \"argo\": \"yes\" } }"), Is.EqualTo(At(2, 12) + "'plugins:argo' must be true, false or an object, not a string"));
        Assert.That(Error("{ \"arch\": \"riscv\" }"), Is.EqualTo(At(1, 11) + "'arch' is 'riscv': must be one of 'x86_64', 'arm64'"));
        Assert.That(Error(OneGuest.Replace("\"memory\": 64", "\"memory\": 0")), Is.EqualTo(At(4, 56) + "'guests:0:memory' is 0: must be from 1 to 65536"));
    }

    [Test]
    public void BrokenJsonIsReportedWhereTheParserStopped()
    {
        Assert.That(Error("{\n  \"plugins\": {\n    \"argo\" true\n  }\n}"), Does.StartWith(At(3, 12) + "invalid JSON: ").And.Not.Contain("LineNumber"));
        Assert.That(Error("{ \"arch\": \"x86_64\" } x"), Does.StartWith(At(1, 22) + "invalid JSON"));
        Assert.That(Error(""), Does.StartWith(At(1, 1)));
        Assert.That(Error("[1]"), Is.EqualTo(At(1, 1) + "an image config must be a JSON object"));
        Assert.That(Error("{ \"arch\": \"x86_64\",\n  \"ARCH\": \"arm64\" }"), Is.EqualTo(At(2, 3) + "duplicate key 'ARCH'"));
    }

    [Test]
    public void CommentsAndTrailingCommasAreAllowedAsTheJsonProviderAllows()
    {
        var c = _files.Load("{\n  // the core only\n  \"arch\": \"x86_64\",\n  \"plugins\": { \"argo\": true, },\n}");
        Assert.That(c.PluginEnabled("argo"), Is.True);
    }

    [Test]
    public void AMissingGuestFileIsReportedAtItsName()
    {
        string e = Error(OneGuest.Replace("guest.elf", "absent.elf"));
        Assert.That(e, Is.EqualTo(At(4, 33) + $"'guests:0:image': no such file: {Path.Combine(_files.Dir, "absent.elf")}"));
    }

    [Test]
    public void AMissingConfigFileIsReportedByName()
    {
        string path = Path.Combine(_files.Dir, "absent.json");
        var e = Assert.Throws<ConfigException>(() => ImageConfigLoader.Load(path))!;
        Assert.That(e.Errors.Single().ToString(), Does.StartWith(path + ": cannot read the config: "));
    }

    const string ArmGuests = "{\n  \"arch\": \"arm64\",\n  \"guests\": [\n"
        + "    { \"label\": \"a\", \"image\": \"guest.elf\", \"memory\": 64, \"memoryBase\": \"0x48000000\" },\n"
        + "    { \"label\": \"b\", \"image\": \"guest.elf\", \"memory\": 64, \"memoryBase\": \"0x4c000000\" }\n  ]\n}";

    [Test]
    public void GuestsPlacedSideBySideLoad()
    {
        Assert.That(_files.Load(ArmGuests).Options.Guests, Has.Count.EqualTo(2), "0x48000000 + 64 MiB ends where the second starts");
    }

    [Test]
    public void MemoryOverlapIsAnError()
    {
        string overlapping = ArmGuests.Replace("0x4c000000", "0x4b000000");
        Assert.That(Error(overlapping), Is.EqualTo(At(5, 71) + "'guests:1:memoryBase': memory 0x4b000000-0x4effffff overlaps guests:0 (0x48000000-0x4bffffff)"));
        Assert.That(Error(ArmGuests.Replace("0x4c000000", "0x4c000001")), Is.EqualTo(At(5, 71) + "'guests:1:memoryBase' is 0x4c000001: not 4 KiB aligned"));
    }

    [Test]
    public void MoreVcpusThanTheArchAllowsIsAnError()
    {
        Assert.That(Error(OneGuest.Replace("\"memory\": 64", "\"vcpus\": 2")), Is.EqualTo(At(4, 55) + "'guests:0:vcpus' is 2: more vCPUs than an x86_64 guest may have (1)"));
        Assert.That(Error(ArmGuests.Replace("\"memory\": 64, \"memoryBase\": \"0x48000000\"", "\"vcpus\": 9")),
            Is.EqualTo(At(4, 52) + "'guests:0:vcpus' is 9: more vCPUs than an arm64 guest may have (8)"));
    }

    [Test]
    public void DuplicateLabelsAreAnError()
    {
        Assert.That(Error(ArmGuests.Replace("\"label\": \"b\"", "\"label\": \"a\"")), Is.EqualTo(At(5, 16) + "'guests:1:label': duplicate label 'a' (also guests:0:label)"));
    }

    [Test]
    public void ImpossibleCombinationsNameTheirKey()
    {
        string twoX86 = OneGuest.Replace("}\n  ]", "},\n    { \"label\": \"b\", \"image\": \"guest.elf\" }\n  ]");
        Assert.That(Error(twoX86), Does.StartWith(At(5, 5) + "'guests:1': x86_64 boots one guest"));
        Assert.That(Error(OneGuest.Replace("\"memory\": 64", "\"kind\": \"arm\"")), Is.EqualTo(At(4, 54) + "'guests:0:kind' is 'arm': an x86_64 image boots 'pvh' guests"));
        Assert.That(Error(OneGuest.Replace("\"memory\": 64", "\"privileged\": false")), Does.StartWith(At(4, 60) + "'guests:0:privileged' is false"));
        Assert.That(Error(OneGuest.Replace("{ \"label\": \"dom0\", ", "{ ")), Is.EqualTo(At(4, 5) + "'guests:0:label' is missing: every guest needs a label"));
        Assert.That(Error("{ \"bootPolicy\": { \"file\": \"guest.elf\" } }"), Is.EqualTo(At(1, 27) + "'bootPolicy:file': a boot policy needs the flask plugin (set plugins:flask to true)"));
        Assert.That(Error("{ \"hypervisor\": { \"console\": \"dtuart\" } }"), Is.EqualTo(At(1, 30) + "'hypervisor:console' is 'dtuart': an x86_64 image's serial console is 'com1'"));
    }

    [Test]
    public void SeveralErrorsAreAllReported()
    {
        var errors = _files.Errors("{ \"arch\": 1,\n  \"colour\": \"red\" }");
        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            At(1, 11) + "'arch' must be one of 'x86_64', 'arm64', not a number",
            At(2, 3) + "unknown key 'colour' (known: name, description, arch, hypervisor, plugins, guests, bootPolicy)",
        }));
    }

    [Test]
    public void EnvironmentVariablesOverrideTheFileAndSetOverridesBoth()
    {
        Environment.SetEnvironmentVariable("XENLITE_GUESTS__0__MEMORY", "128");
        Assert.That(_files.Load(OneGuest).Options.Guests[0].Memory, Is.EqualTo(128));
        Assert.That(_files.Load(OneGuest, "guests:0:memory=256").Options.Guests[0].Memory, Is.EqualTo(256));
        Environment.SetEnvironmentVariable("XENLITE_GUESTS__0__MEMORY", null);
        var c = _files.Load(OneGuest, "plugins:argo=true", "hypervisor:cmdline=loglvl=all");
        Assert.That(c.PluginEnabled("argo"), Is.True);
        Assert.That(c.Options.Hypervisor.Cmdline, Is.EqualTo("loglvl=all"), "only the first '=' separates key and value");
        Assert.That(c.Locate("guests:0:memory").ToString(), Is.EqualTo(At(4, 56).TrimEnd(' ', ':')));
        Assert.That(c.Locate("plugins:argo").ToString(), Is.EqualTo("--set plugins:argo"));
    }

    [Test]
    public void BadOverridesNameTheirSource()
    {
        Environment.SetEnvironmentVariable("XENLITE_GUESTS__0__MEMROY", "1");
        Assert.That(Error(OneGuest), Does.StartWith("environment variable XENLITE_GUESTS__0__MEMROY: unknown key 'guests:0:memroy'"));
        Environment.SetEnvironmentVariable("XENLITE_GUESTS__0__MEMROY", null);
        Assert.That(Error(OneGuest, "guests:0:vcpus=lots"), Is.EqualTo("--set guests:0:vcpus: 'guests:0:vcpus' must be an integer from 1 to 128"));
        Assert.That(Error(OneGuest, "arch"), Is.EqualTo("--set arch: expected --set <key>=<value>"));
        Assert.That(Error(OneGuest, "guests=x"), Does.StartWith("--set guests: 'guests' is an array: set its keys one by one"));
        Environment.SetEnvironmentVariable("XENLITE_GUESTS__0__VCPUS", "2");
        Assert.That(Error(OneGuest), Is.EqualTo("environment variable XENLITE_GUESTS__0__VCPUS: 'guests:0:vcpus' is 2: more vCPUs than an x86_64 guest may have (1)"));
    }
}

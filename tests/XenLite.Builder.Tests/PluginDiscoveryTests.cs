using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using XenLite.Hv.Dispatch;
using XenLite.ImageBuilder.Config;
using XenLite.ImageBuilder.Plugins;

namespace XenLite.Builder.Tests;

/// <summary>Plugin discovery from metadata: the real plugins, and crafted assemblies that break the contract one way each.</summary>
[Category("plugins")]
public class PluginDiscoveryTests
{
    string _dir;

    [SetUp]
    public void Dir() => _dir = Directory.CreateTempSubdirectory("xenlite-plugins-").FullName;

    [TearDown]
    public void Clean() => Directory.Delete(_dir, true);

    static PluginCatalog Real()
    {
        var catalog = PluginCatalog.Scan(RepoDir.Of("plugins"));
        if (catalog.Unbuilt.Count > 0) Assert.Fail("plugin projects not built: " + string.Join(", ", catalog.Unbuilt));
        return catalog;
    }

    [TestCase("argo", Feature.Argo, "XenLite.Plugin.Argo.ArgoPlugin", false)]
    [TestCase("hypfs", Feature.Hypfs, "XenLite.Plugin.Hypfs.HypfsPlugin", false)]
    [TestCase("kexec", Feature.Kexec, "XenLite.Plugin.Kexec.KexecPlugin", false)]
    [TestCase("xenoprof", Feature.Xenoprof, "XenLite.Plugin.Xenoprof.XenoprofPlugin", false)]
    [TestCase("flask", Feature.Core, "XenLite.Flask.FlaskPlugin", true)]
    public void TheRealPluginsAreFoundWithTheirRowsAndMembers(string name, Feature rows, string entry, bool takesPolicy)
    {
        PluginInfo p = Real().Plugins.Single(x => x.Name == name);
        Assert.That(p.Problems, Is.Empty);
        Assert.That((p.Rows, p.EntryType, p.HasInit, p.TakesBootPolicy), Is.EqualTo((rows, entry, true, takesPolicy)));
        Assert.That(p.SourceDirectory, Does.StartWith(RepoDir.Of("plugins")));
    }

    [Test]
    public void DiscoveryDoesNotLoadTheAssembly()
    {
        string path = new CraftedPlugin { Name = "unloaded" }.Save(_dir);
        PluginDiscovery.Read(path);
        Assert.That(AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name), Has.None.StartsWith("Crafted.unloaded"));
        File.Delete(path); // not held open either
    }

    [Test]
    public void AWellFormedCraftedPluginPasses()
    {
        PluginInfo p = PluginDiscovery.Read(new CraftedPlugin { BootPolicyType = typeof(byte*), BootPolicySizeType = typeof(ulong) }.Save(_dir));
        Assert.That(p.Problems, Is.Empty);
        Assert.That((p.Name, p.Rows, p.EntryType, p.HasInit, p.TakesBootPolicy), Is.EqualTo(("crafted", Feature.Argo, "Crafted.Plugin0", true, true)));
    }

    static IEnumerable<TestCaseData> Malformed()
    {
        yield return new TestCaseData(new CraftedPlugin { Marked = false }, "no class is marked [HypervisorPlugin(name, Feature)]");
        yield return new TestCaseData(new CraftedPlugin { HasRegister = false }, "Crafted.Plugin0 has no 'public static void Register(XenLite.Hv.Dispatch.HandlerRegistry)'");
        yield return new TestCaseData(new CraftedPlugin { RegisterParameter = typeof(int) },
            "Crafted.Plugin0.Register must be 'public static void Register(XenLite.Hv.Dispatch.HandlerRegistry)', found 'public static System.Void Register(System.Int32)'");
        yield return new TestCaseData(new CraftedPlugin { RegisterStatic = false },
            "Crafted.Plugin0.Register must be 'public static void Register(XenLite.Hv.Dispatch.HandlerRegistry)', found 'public System.Void Register(XenLite.Hv.Dispatch.HandlerRegistry)'");
        yield return new TestCaseData(new CraftedPlugin { InitReturn = typeof(int) },
            "Crafted.Plugin0.Init must be 'public static void Init(XenLite.Hv.Common.Hypervisor)', found 'public static System.Int32 Init(XenLite.Hv.Common.Hypervisor)'");
        yield return new TestCaseData(new CraftedPlugin { Public = false }, "Crafted.Plugin0: the entry class must be a public top-level class (generated code calls it)");
        yield return new TestCaseData(new CraftedPlugin { Rows = Feature.Argo | Feature.Kexec }, "Crafted.Plugin0: Feature value 6 is not one routing-table feature");
        yield return new TestCaseData(new CraftedPlugin { Name = "Bad-Name" }, "Crafted.Plugin0: plugin name 'Bad-Name' must be lower-case letters, digits or '_'");
        yield return new TestCaseData(new CraftedPlugin { BootPolicyType = typeof(byte*) }, "declares both 'public static byte* BootPolicy' and 'public static ulong BootPolicySize'");
        yield return new TestCaseData(new CraftedPlugin { BootPolicyType = typeof(byte[]), BootPolicySizeType = typeof(ulong) }, "declares both");
        yield return new TestCaseData(new CraftedPlugin { EntryClasses = 2 }, "two entry classes are marked [HypervisorPlugin]: Crafted.Plugin0 and Crafted.Plugin1");
    }

    [TestCaseSource(nameof(Malformed))]
    public void AMalformedPluginIsReportedWithWhatIsWrong(CraftedPlugin crafted, string problem)
    {
        PluginInfo p = PluginDiscovery.Read(crafted.Save(_dir));
        Assert.That(p.IsValid, Is.False);
        Assert.That(p.Problems, Has.Some.Contains(problem));
    }

    [Test]
    public void AFileThatIsNotAnAssemblyIsReported()
    {
        string path = Path.Combine(_dir, "junk.dll");
        File.WriteAllBytes(path, new byte[] { 1, 2, 3, 4 });
        Assert.That(PluginDiscovery.Read(path).Problems.Single(), Does.StartWith("unreadable assembly: "));
        File.Copy(RepoDir.Of("images/minimal.json"), path, true);
        Assert.That(PluginDiscovery.Read(path).IsValid, Is.False);
    }

    ImageConfig Config(string plugins)
    {
        string path = Path.Combine(_dir, "image.json");
        File.WriteAllText(path, "{\n  \"plugins\": " + plugins + "\n}");
        return ImageConfigLoader.Load(path);
    }

    [Test]
    public void TwoSelectedPluginsClaimingTheSameRowsAreAnError()
    {
        string a = new CraftedPlugin { Name = "one", Rows = Feature.Hypfs }.Save(_dir);
        string b = new CraftedPlugin { Name = "two", Rows = Feature.Hypfs }.Save(_dir);
        var catalog = new PluginCatalog(new[] { PluginDiscovery.Read(a), PluginDiscovery.Read(b) });
        var errors = new List<ConfigError>();
        catalog.Select(Config("{ \"one\": true,\n    \"two\": true }"), errors);
        Assert.That(errors.Single().ToString(), Is.EqualTo($"{_dir}/image.json:3:12: plugins 'one' ({a}) and 'two' ({b}) both claim the rows of Feature.Hypfs"));
        errors.Clear();
        Assert.That(catalog.Select(Config("{ \"one\": true, \"two\": false }"), errors).Select(p => p.Name), Is.EqualTo(new[] { "one" }));
        Assert.That(errors, Is.Empty, "only selected plugins can clash");
    }

    [Test]
    public void SelectingAMalformedOrUnknownPluginIsAnErrorAtItsKey()
    {
        string bad = new CraftedPlugin { Name = "bad", HasRegister = false }.Save(_dir);
        var catalog = new PluginCatalog(new[] { PluginDiscovery.Read(bad) });
        var errors = new List<ConfigError>();
        catalog.Select(Config("{ \"bad\": true,\n    \"tmem\": true }"), errors);
        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            $"{_dir}/image.json:2:23: plugin 'bad' ({bad}) is malformed: Crafted.Plugin0 has no 'public static void Register(XenLite.Hv.Dispatch.HandlerRegistry)'",
            $"{_dir}/image.json:3:5: unknown plugin 'tmem' (known: bad)",
        }));
    }

    [Test]
    public void TheFeaturesOfASelectionAreItsPluginsRows()
    {
        var errors = new List<ConfigError>();
        var selected = Real().Select(Config("{ \"argo\": true, \"flask\": true, \"kexec\": false }"), errors);
        Assert.That(errors, Is.Empty);
        Assert.That(selected.Select(p => p.Name), Is.EqualTo(new[] { "argo", "flask" }));
        Assert.That(PluginCatalog.Features(selected), Is.EqualTo(Feature.Argo));
    }
}

using System.Linq;
using System.Text;
using NUnit.Framework;
using XenLite.ImageBuilder.Embed;
using XenLite.ImageBuilder.Generate;
using XenLite.ImageBuilder.Plugins;

namespace XenLite.Builder.Tests;

/// <summary>GeneratedPlugins.cs for real selections, and the embedded-module blob the image reads.</summary>
[Category("plugins")]
public class GeneratedCodeTests
{
    static PluginInfo[] Real(params string[] names) =>
        PluginCatalog.Scan(RepoDir.Of("plugins")).Plugins.Where(p => names.Contains(p.Name)).ToArray();

    [Test]
    public void EachSelectedPluginIsRegisteredEnabledAndInitialised()
    {
        string code = RegistrationGenerator.Generate(Real("argo", "hypfs", "kexec", "xenoprof"), "images/demo.json");
        Assert.That(code, Does.Contain("public static unsafe class GeneratedPlugins"));
        Assert.That(code, Does.Contain("public const Feature Features = Feature.Xenoprof | Feature.Kexec | Feature.Argo | Feature.Hypfs;"));
        foreach (var (type, feature) in new[] { ("Argo.ArgoPlugin", "Argo"), ("Hypfs.HypfsPlugin", "Hypfs"), ("Kexec.KexecPlugin", "Kexec"), ("Xenoprof.XenoprofPlugin", "Xenoprof") })
        {
            Assert.That(code, Does.Contain($"            global::XenLite.Plugin.{type}.Register(r);\n            r.Enable(Feature.{feature});\n"));
            Assert.That(code, Does.Contain($"            global::XenLite.Plugin.{type}.Init(hv);\n"));
        }
        Assert.That(code, Does.Not.Contain("BootPolicy"));
    }

    [Test]
    public void AnXsmPluginGetsTheBootPolicyAndStartsFirst()
    {
        string code = RegistrationGenerator.Generate(Real("argo", "flask"), "images/edge.json");
        string init = code[code.IndexOf("public static void Init", System.StringComparison.Ordinal)..];
        Assert.That(init, Does.Contain(
            "            global::XenLite.Flask.FlaskPlugin.BootPolicy = EmbeddedModules.BootPolicy;\n" +
            "            global::XenLite.Flask.FlaskPlugin.BootPolicySize = EmbeddedModules.BootPolicySize;\n" +
            "            global::XenLite.Flask.FlaskPlugin.Init(hv);\n" +
            "            global::XenLite.Plugin.Argo.ArgoPlugin.Init(hv);\n"));
        Assert.That(code, Does.Not.Contain("r.Enable(Feature.Core)"), "Flask owns no routing rows");
    }

    [Test]
    public void NoPluginsGivesEmptyBodiesAndTheCoreRows()
    {
        string code = RegistrationGenerator.Generate(new PluginInfo[0], "images/minimal.json");
        Assert.That(code, Does.Contain("// Plugins: none."));
        Assert.That(code, Does.Contain("public const Feature Features = Feature.Core;"));
        Assert.That(code, Does.Contain("public static void Register(HandlerRegistry r)\n        {\n        }"));
        Assert.That(code, Does.Contain("public static void Init(Hypervisor hv)\n        {\n        }"));
    }

    [Test]
    public void Crc32IsTheIeeeChecksum()
    {
        Assert.That(Crc32.Compute(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));
        Assert.That(Crc32.Compute(new byte[0]), Is.EqualTo(0u));
    }

    [Test]
    public void TheModuleBlobRoundTripsWithPageAlignedData()
    {
        var modules = new[]
        {
            new EmbeddedModule(ModuleKind.Manifest, "manifest", Encoding.UTF8.GetBytes("arch=arm64\n")),
            new EmbeddedModule(ModuleKind.Guest, "sensor", new byte[] { 1, 2, 3 }, "role=sensor", GuestKind.Arm, true, 64, 2, 0x48000000),
            new EmbeddedModule(ModuleKind.BootPolicy, "edge.js", new byte[5000]),
        };
        byte[] blob = ModuleBlob.Write(modules);
        var back = ModuleBlob.Read(blob)!;
        Assert.That(back.Select(m => (m.Kind, m.Name, m.Cmdline, m.Guest, m.Privileged, m.MemoryMiB, m.Vcpus, m.MemoryBase)), Is.EqualTo(
            modules.Select(m => (m.Kind, m.Name, m.Cmdline, m.Guest, m.Privileged, m.MemoryMiB, m.Vcpus, m.MemoryBase))));
        Assert.That(back.Select(m => m.Data), Is.EqualTo(modules.Select(m => m.Data)));
        Assert.That(back.Select(m => m.StoredCrc), Is.EqualTo(modules.Select(m => Crc32.Compute(m.Data))));
        Assert.That(back.Select(m => m.Offset % ModuleBlob.DataAlign), Is.All.Zero);
        Assert.That(blob.Length % ModuleBlob.DataAlign, Is.Zero);
        Assert.That(Encoding.ASCII.GetString(blob, 0, 7), Is.EqualTo("XLMODS1"));
        blob[8] = 2;
        Assert.That(ModuleBlob.Read(blob), Is.Null, "another version is not read as this one");
    }
}

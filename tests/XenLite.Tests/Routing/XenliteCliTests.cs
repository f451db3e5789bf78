using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NUnit.Framework;
using XenLite.Cli;
using XenLite.Hv.Dispatch;

namespace XenLite.Tests.Routing;

/// <summary>`xenlite hypercalls`, its --config handling and the usage errors, run in-process.</summary>
[Category("cli")]
public class XenliteCliTests
{
    /// <summary>The plugins that still have upstream rows: with these, the output is upstream's table.</summary>
    const string UpstreamPluginsConfig = """{ "name": "demo", "plugins": { "argo": true, "hypfs": true, "kexec": true, "xenoprof": false } }""";

    string _dir;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("xenlite-cli-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, true);

    string Config(string json)
    {
        string path = Path.Combine(_dir, "image.json");
        File.WriteAllText(path, json);
        return path;
    }

    static (int Status, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int status = Xenlite.Run(args, stdout, stderr);
        return (status, stdout.ToString(), stderr.ToString());
    }

    static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Test]
    public void HypercallsPrintsTheHeaderAndEveryRow()
    {
        var (status, output, err) = Run("hypercalls");
        Assert.That(status, Is.EqualTo(0), err);
        string[] lines = Lines(output);
        Assert.That(lines[0], Is.EqualTo(HypercallDefsTable.Load().HeaderLine));
        Assert.That(lines.Skip(1).Select(l => l.Split(' ')[0]), Is.EqualTo(RoutingTable.Rows.Select(r => r.Name)));
        Assert.That(err, Is.Empty);
    }

    [Test]
    public void EachLineIsTheRowNameAndItsFiveCells()
    {
        string[] lines = Lines(Run("hypercalls").Out);
        for (int i = 0; i < RoutingTable.Rows.Length; i++)
        {
            var row = RoutingTable.Rows[i];
            var words = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(words, Is.EqualTo(new[] { row.Name, row.Pv32.Text, row.Pv64.Text, row.Hvm32.Text, row.Hvm64.Text, row.Arm.Text }));
        }
    }

    [Test]
    public void WithUpstreamsPluginsTheOutputIsHypercallDefsTableExactly()
    {
        var (status, output, err) = Run("hypercalls", "--config", Config(UpstreamPluginsConfig));
        Assert.That(status, Is.EqualTo(0), err);
        Assert.That(Lines(output), Is.EqualTo(HypercallDefsTable.Load().Lines.ToArray()));
    }

    [Test]
    public void PluginsOffOrMissingDropTheirRows()
    {
        string path = Config("""{ "plugins": { "argo": false, "kexec": true } }""");
        var names = Lines(Run("hypercalls", "--config", path).Out).Skip(1).Select(l => l.Split(' ')[0]).ToArray();
        Assert.That(names, Does.Contain("kexec_op"));
        Assert.That(names, Has.None.AnyOf("argo_op", "hypfs_op", "xenoprof_op"));
        Assert.That(names, Has.Length.EqualTo(RoutingTable.Rows.Count(r => r.Feature == Feature.Core) + 1));
    }

    [Test]
    public void AConfigWithoutPluginsGivesTheCoreRows()
    {
        var (status, output, _) = Run("hypercalls", "--config", Config("""{ "arch": "x86_64" }"""));
        Assert.That(status, Is.EqualTo(0));
        Assert.That(Lines(output), Has.Length.EqualTo(RoutingTable.Rows.Count(r => r.Feature == Feature.Core) + 1));
    }

    [Test]
    public void FlaskIsAValidPluginWithoutRows()
    {
        var (status, output, _) = Run("hypercalls", "--config", Config("""{ "plugins": { "flask": true } }"""));
        Assert.That(status, Is.EqualTo(0));
        Assert.That(Lines(output), Has.Length.EqualTo(RoutingTable.Rows.Count(r => r.Feature == Feature.Core) + 1));
    }

    [TestCase("{\n  \"plugins\": {\n    \"argo\" true\n  }\n}", 3, 12, "Expected a ':'")]
    [TestCase("{ \"plugins\": { \"argo\": true, }", 1, 31, "")] // trailing commas are allowed, as the JSON provider allows them: the object is unclosed
    [TestCase("{ \"plugins\": {} } x", 1, 19, "")]
    [TestCase("", 1, 1, "")]
    public void MalformedJsonIsReportedAtFileLineColumn(string json, int line, int col, string detail)
    {
        string path = Config(json);
        var (status, output, err) = Run("hypercalls", "--config", path);
        Assert.That(status, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(err, Does.StartWith($"xenlite: {path}:{line}:{col}: ").And.Contain(detail).And.Not.Contain("LineNumber"));
    }

    [TestCase("[1]", 1, 1, "an image config must be a JSON object")]
    [TestCase("{\n \"plugins\": [\"argo\"] }", 2, 13, "'plugins' must be an object, not an array")]
    [TestCase("{ \"plugins\": {\n   \"argo\": \"yes\" } }", 2, 12, "'plugins:argo' must be true, false or an object, not a string")]
    [TestCase("{ \"plugins\": { \"tmem\": true } }", 1, 16, "unknown plugin 'tmem' (known: argo, flask, hypfs, kexec, xenoprof)")]
    public void WrongShapesAreReportedAtFileLineColumn(string json, int line, int col, string message)
    {
        string path = Config(json);
        var (status, _, err) = Run("hypercalls", "--config", path);
        Assert.That(status, Is.EqualTo(1));
        Assert.That(err, Is.EqualTo($"xenlite: {path}:{line}:{col}: {message}\n"));
    }

    [Test]
    public void AMissingConfigFileFails()
    {
        string path = Path.Combine(_dir, "absent.json");
        var (status, _, err) = Run("hypercalls", "--config", path);
        Assert.That(status, Is.EqualTo(1));
        Assert.That(err, Does.StartWith($"xenlite: {path}: cannot read the config: "));
    }

    [TestCase(new string[0], "")]
    [TestCase(new[] { "--help" }, "")]
    [TestCase(new[] { "-h" }, "")]
    [TestCase(new[] { "frobnicate" }, "xenlite: unknown command 'frobnicate'\n")]
    [TestCase(new[] { "hypercalls", "--verbose" }, "xenlite: hypercalls: unknown option '--verbose'\n")]
    [TestCase(new[] { "hypercalls", "--config" }, "xenlite: --config needs a file\n")]
    [TestCase(new[] { "docs" }, "xenlite: docs: expected 'docs hypercalls'\n")]
    [TestCase(new[] { "docs", "routing" }, "xenlite: docs: expected 'docs hypercalls'\n")]
    public void HelpAndBadCommandLinesPrintUsageOnStderrAndExit2(string[] args, string message)
    {
        var (status, output, err) = Run(args);
        Assert.That(status, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(err, Is.EqualTo(message + Xenlite.UsageText));
    }

    [Test]
    public void DocsHypercallsWritesTheGeneratedMarkdown()
    {
        var (status, output, _) = Run("docs", "hypercalls");
        Assert.That(status, Is.EqualTo(0));
        Assert.That(output, Is.EqualTo(HypercallsMarkdown.Generate()));
    }

    /// <summary>The NativeAOT build (./build.sh cli) behaves like the in-process CLI.</summary>
    [Test]
    public void ThePublishedBinaryPrintsUpstreamsTable()
    {
        string exe = RepoPaths.Of("images/out/xenlite");
        if (!File.Exists(exe)) Assert.Ignore("images/out/xenlite is not built (./build.sh cli)");

        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "hypercalls", "--config", Config(UpstreamPluginsConfig) }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), err);
        Assert.That(output, Is.EqualTo(string.Join("", HypercallDefsTable.Load().Lines.Select(l => l + "\n"))),
            $"{exe} differs from upstream's table; if the in-process tests pass, the binary is stale: ./build.sh cli");
    }
}

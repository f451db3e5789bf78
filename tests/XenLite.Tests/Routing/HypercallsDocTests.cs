using System.IO;
using System.Linq;
using NUnit.Framework;
using XenLite.Cli;
using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Routing;

/// <summary>docs/hypercalls.md is generated, committed, and says what the dispatcher really does.</summary>
[Category("docs")]
public class HypercallsDocTests
{
    [Test]
    public void TheCommittedDocIsUpToDate()
    {
        string path = RepoPaths.Of("docs/hypercalls.md");
        string committed = File.Exists(path) ? File.ReadAllText(path) : "";
        Assert.That(committed, Is.EqualTo(HypercallsMarkdown.Generate()),
            $"docs/hypercalls.md is stale: run `{HypercallsMarkdown.RegenerateCommand}` (after ./build.sh cli), or `{HypercallsMarkdown.RegenerateFromSource}`");
    }

    [Test]
    public void EachRowsCellsFollowTheLiveDispatcher()
    {
        using var m = new TestMachine();
        string md = HypercallsMarkdown.Generate();
        string table = md[..md.IndexOf("\n## Sub-operations")];
        var tableLines = table.Split('\n').Where(l => l.StartsWith("| ") && char.IsDigit(l[2])).ToArray();
        Assert.That(tableLines, Has.Length.EqualTo(RoutingTable.Rows.Length));
        for (int i = 0; i < RoutingTable.Rows.Length; i++)
        {
            var row = RoutingTable.Rows[i];
            string[] cells = tableLines[i].Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            Assert.That(cells[0], Is.EqualTo(row.Number.ToString()));
            Assert.That(cells[1], Is.EqualTo(row.Name));
            for (int mode = 0; mode < GuestModes.Count; mode++)
            {
                var gm = (GuestMode)mode;
                string expected = !row.For(gm).IsRouted ? "-"
                    : row.Feature != Feature.Core ? $"plugin {row.Feature}"
                    : m.Hv.Dispatcher.IsImplemented(row.Number, gm) ? "implemented" : "-ENOSYS";
                Assert.That(cells[2 + mode], Is.EqualTo(expected), $"{row.Name} {gm}");
            }
        }
    }

    [Test]
    public void EveryCataloguedSubOpIsListedUnderItsHypercall()
    {
        string md = HypercallsMarkdown.Generate();
        foreach (var family in SubOpCatalog.Families)
        {
            string name = RoutingTable.Rows[RoutingTable.IndexOf(family.Hypercall)].Name;
            int section = md.IndexOf($"\n### {name} ({family.Hypercall})\n");
            Assert.That(section, Is.GreaterThan(0), name);
            int end = md.IndexOf("\n### ", section + 1);
            string body = end < 0 ? md[section..] : md[section..end];
            foreach (var op in family.Ops)
                Assert.That(body, Does.Contain($"| {op.Number} | {op.Name} | {(op.Status == SubOpStatus.Implemented ? "implemented" : op.Status == SubOpStatus.Enosys ? "-ENOSYS" : "plugin")} |"));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Routing;

/// <summary>RoutingTable.Rows proven against upstream hypercall-defs.c, cell for cell.</summary>
[Category("routing")]
public class RoutingTableTests
{
    /// <summary>
    /// Rows XenLite keeps that upstream no longer has: Xen dropped xenoprof (commit 69e8aaf9cc,
    /// January 2026, before 4.22); XenLite still offers it as the Xenoprof plugin.
    /// </summary>
    public static readonly string[] XenLiteOnlyRows = { "xenoprof_op" };

    static readonly HypercallDefsTable Upstream = HypercallDefsTable.Load();

    static RouteRow[] OurUpstreamRows =>
        RoutingTable.Rows.Where(r => !XenLiteOnlyRows.Contains(r.Name)).ToArray();

    /// <summary>HypercallNumber's constant for a Xen name: set_trap_table → SetTrapTable.</summary>
    public static int NumberOf(string xenName)
    {
        string pascal = string.Concat(xenName.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        var field = typeof(HypercallNumber).GetField(pascal, BindingFlags.Public | BindingFlags.Static)
            ?? throw new AssertionException($"HypercallNumber has no constant {pascal} for {xenName}");
        return (int)field.GetRawConstantValue()!;
    }

    [Test]
    public void TheDataIsTheFullUpstreamTable()
    {
        Assert.That(Upstream.Rows, Has.Count.EqualTo(43), "43 rows with every option on (xenoprof_op is gone upstream)");
        Assert.That(Upstream.Rows.Single(r => r.Name == "grant_table_op").Cells,
            Is.EqualTo(new[] { "compat", "do", "hvm", "hvm", "do" }), "the CONFIG_GRANT_TABLE branch is the one kept");
    }

    [Test]
    public void ColumnsAreTheGuestModesInOrder()
    {
        Assert.That(Upstream.Columns, Is.EqualTo(new[] { "pv32", "pv64", "hvm32", "hvm64", "arm" }));
        Assert.That(Enum.GetValues<GuestMode>().Select(m => m.ToString().ToLowerInvariant()), Is.EqualTo(Upstream.Columns));
        Assert.That(Upstream.Columns, Has.Length.EqualTo(GuestModes.Count));
    }

    [Test]
    public void RowNamesAndOrderMatchUpstream()
    {
        Assert.That(OurUpstreamRows.Select(r => r.Name), Is.EqualTo(Upstream.Rows.Select(r => r.Name)));
    }

    [Test]
    public void EveryCellMatchesUpstream()
    {
        var ours = OurUpstreamRows.ToDictionary(r => r.Name);
        var mismatches = new List<string>();
        foreach (var row in Upstream.Rows)
        {
            if (!ours.TryGetValue(row.Name, out var our)) { mismatches.Add($"{row.Name}: missing"); continue; }
            for (int m = 0; m < GuestModes.Count; m++)
            {
                string cell = our.For((GuestMode)m).Text;
                if (cell != row.Cells[m])
                    mismatches.Add($"{row.Name} {Upstream.Columns[m]}: RoutingTable has '{cell}', hypercall-defs.c has '{row.Cells[m]}'");
            }
        }
        Assert.That(mismatches, Is.Empty, string.Join("\n", mismatches));
    }

    [Test]
    public void NumbersComeFromHypercallNumber()
    {
        foreach (var row in RoutingTable.Rows)
            Assert.That(row.Number, Is.EqualTo(NumberOf(row.Name)), row.Name);
        Assert.That(RoutingTable.Rows.Select(r => r.Number).Distinct().Count(), Is.EqualTo(RoutingTable.Rows.Length), "one row per number");
    }

    [Test]
    public void RowsUpstreamDroppedArePluginRows()
    {
        foreach (string name in XenLiteOnlyRows)
            Assert.That(RoutingTable.Rows.Single(r => r.Name == name).Feature, Is.Not.EqualTo(Feature.Core), name);
    }

    [Test]
    public void IndexOfFindsEveryRowAndNothingElse()
    {
        for (int i = 0; i < RoutingTable.Rows.Length; i++)
            Assert.That(RoutingTable.IndexOf(RoutingTable.Rows[i].Number), Is.EqualTo(i));
        Assert.That(RoutingTable.IndexOf(11), Is.EqualTo(-1));
        Assert.That(RoutingTable.IndexOf(-1), Is.EqualTo(-1));
    }

    static IEnumerable<GuestMode> Modes => Enum.GetValues<GuestMode>();

    [TestCaseSource(nameof(Modes))]
    public void EveryDashCellAnswersEnosys(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode).Vcpus[0];
        int column = (int)mode;
        var dashes = Upstream.Rows.Where(r => r.Cells[column] == "-").ToArray();
        Assert.That(dashes, Is.Not.Empty);
        foreach (var row in dashes)
        {
            int n = NumberOf(row.Name);
            Assert.That(m.Hv.Dispatcher.IsImplemented(n, mode), Is.False, row.Name);
            Assert.That(m.Call(v, n, 0x1000, 1, 0x2000, 0, 0), Is.EqualTo(-Errno.ENOSYS), row.Name);
        }
    }

    static readonly int[] NumbersOutsideTheTable = { 11, 43, 44, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 63, 64, 65, 1000, int.MaxValue, -1, int.MinValue };

    [TestCaseSource(nameof(Modes))]
    public void NumbersOutsideTheTableAnswerEnosys(GuestMode mode)
    {
        using var m = new TestMachine(features: Feature.Argo | Feature.Hypfs | Feature.Kexec | Feature.Xenoprof);
        var v = m.NewDomain(mode).Vcpus[0];
        foreach (int n in NumbersOutsideTheTable)
        {
            Assert.That(RoutingTable.IndexOf(n), Is.EqualTo(-1), $"{n} is not a row");
            Assert.That(m.Call(v, n, 0x1000, 1, 0x2000), Is.EqualTo(-Errno.ENOSYS), $"hypercall {n}");
        }
    }
}

using System.Collections.Generic;
using System.Text;
using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;

namespace XenLite.Cli;

/// <summary>The routing table printed as hypercall-defs.c writes its `table:` section.</summary>
public static class HypercallTableText
{
    // hypercall-defs.c's column widths: the name column, then each caller column.
    const int NameWidth = 35;
    const int CellWidth = 9;

    static readonly string[] Callers = { "pv32", "pv64", "hvm32", "hvm64", "arm" };

    /// <summary>The header line and one line per row whose plugin is among <paramref name="features"/>.</summary>
    public static IEnumerable<string> Lines(Feature features)
    {
        yield return Line("table:", Callers);
        var cells = new string[GuestModes.Count];
        foreach (var row in RoutingTable.Rows)
        {
            if (row.Feature != Feature.Core && (features & row.Feature) == 0) continue;
            for (int m = 0; m < GuestModes.Count; m++) cells[m] = row.For((GuestMode)m).Text;
            yield return Line(row.Name, cells);
        }
    }

    static string Line(string first, string[] columns)
    {
        var sb = new StringBuilder();
        sb.Append(first).Append(' ', NameWidth > first.Length ? NameWidth - first.Length : 1);
        for (int i = 0; i < columns.Length; i++)
        {
            sb.Append(columns[i]);
            if (i != columns.Length - 1) sb.Append(' ', CellWidth > columns[i].Length ? CellWidth - columns[i].Length : 1);
        }
        return sb.ToString();
    }
}

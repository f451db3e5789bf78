using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace XenLite.Tests.Routing;

/// <summary>
/// Xen's hypercall-defs.c `table:` section (Data/hypercall-defs-table.txt, copied verbatim),
/// preprocessed as a build with every Kconfig option on: every conditional row is kept, and of
/// an #if/#elif chain only the first branch (grant_table_op's CONFIG_GRANT_TABLE row).
/// </summary>
public sealed class HypercallDefsTable
{
    public const string DataFile = "hypercall-defs-table.txt";

    public sealed record Row(string Name, string[] Cells, string Line);

    /// <summary>The caller names after "table:", in column order.</summary>
    public string[] Columns { get; }
    public string HeaderLine { get; }
    public IReadOnlyList<Row> Rows { get; }

    /// <summary>The header and row lines that survive preprocessing, exactly as written upstream.</summary>
    public IEnumerable<string> Lines => Rows.Select(r => r.Line).Prepend(HeaderLine);

    HypercallDefsTable(string header, string[] columns, List<Row> rows)
    {
        HeaderLine = header;
        Columns = columns;
        Rows = rows;
    }

    public static string DataPath => Path.Combine(AppContext.BaseDirectory, "Data", DataFile);

    public static HypercallDefsTable Load() => Parse(File.ReadAllLines(DataPath));

    public static HypercallDefsTable Parse(string[] lines)
    {
        if (lines.Length == 0 || !lines[0].StartsWith("table:", StringComparison.Ordinal))
            throw new FormatException("the table section must start with a 'table:' line");
        string[] columns = Words(lines[0]).Skip(1).ToArray();

        // Each open conditional: is its current branch kept, and was a branch already kept?
        var open = new Stack<(bool Keep, bool Taken)>();
        bool Kept() => open.All(c => c.Keep);
        var rows = new List<Row>();
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            string directive = line.TrimStart();
            if (directive.StartsWith("#if", StringComparison.Ordinal))
                open.Push((true, true));
            else if (directive.StartsWith("#elif", StringComparison.Ordinal) || directive.StartsWith("#else", StringComparison.Ordinal))
                open.Push(open.Pop() with { Keep = false });
            else if (directive.StartsWith("#endif", StringComparison.Ordinal))
                open.Pop();
            else if (directive.Length != 0 && Kept())
            {
                string[] w = Words(line);
                if (w.Length != columns.Length + 1)
                    throw new FormatException($"line {i + 1}: expected {columns.Length + 1} words, got '{line}'");
                rows.Add(new Row(w[0], w.Skip(1).ToArray(), line));
            }
        }
        if (open.Count != 0) throw new FormatException("unterminated #if in the table");
        return new HypercallDefsTable(lines[0], columns, rows);
    }

    static string[] Words(string line) => line.Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
}

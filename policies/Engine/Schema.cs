using System;
using System.Collections.Generic;
using XenLite.Flask;

namespace XenLite.Policy;

/// <summary>The FLASK classes and permissions policies are checked against (from <see cref="FlaskSchema"/>).</summary>
public static class Schema
{
    public static readonly string[] Classes = FlaskSchema.ClassNames.TrimEnd('\0').Split('\0');
    static readonly string[][] Perms = BuildPerms();
    static readonly Dictionary<string, int> ClassIndex = BuildIndex(Classes);
    static readonly Dictionary<string, int>[] PermIndex = Array.ConvertAll(Perms, BuildIndex);

    static string[][] BuildPerms()
    {
        var perms = new string[FlaskSchema.ClassCount][];
        for (int c = 0; c < perms.Length; c++) perms[c] = FlaskSchema.PermissionNames(c).TrimEnd('\0').Split('\0');
        return perms;
    }

    static Dictionary<string, int> BuildIndex(string[] names)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) index[names[i]] = i;
        return index;
    }

    public static int ClassOf(string name) => ClassIndex.TryGetValue(name, out int c) ? c : -1;

    public static int PermOf(int cls, string name) => PermIndex[cls].TryGetValue(name, out int p) ? p : -1;

    public static IReadOnlyList<string> PermsOf(int cls) => Perms[cls];

    public static uint AllPerms(int cls) => Perms[cls].Length == 32 ? uint.MaxValue : (1u << Perms[cls].Length) - 1;

    public static int InitialSidOf(string name)
    {
        string[] names = PolicyFormat.InitialSidNames.TrimEnd('\0').Split('\0');
        return Array.IndexOf(names, name) + 1;
    }

    public static string InitialSidName(int sid) => PolicyFormat.InitialSidNames.TrimEnd('\0').Split('\0')[sid - 1];

    /// <summary>The permission names set in a mask, in bit order.</summary>
    public static IEnumerable<string> Names(int cls, uint mask)
    {
        for (int b = 0; b < Perms[cls].Length; b++)
            if ((mask & (1u << b)) != 0) yield return Perms[cls][b];
    }
}

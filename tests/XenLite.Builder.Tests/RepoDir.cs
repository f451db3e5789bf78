using System;
using System.IO;

namespace XenLite.Builder.Tests;

/// <summary>The checkout these tests run from, and scratch directories for configs and images.</summary>
public static class RepoDir
{
    public static readonly string Root = Find();

    static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "XenLite.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("XenLite.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Of(string relative) => Path.Combine(Root, relative);
}

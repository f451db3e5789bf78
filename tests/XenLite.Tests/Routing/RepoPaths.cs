using System;
using System.IO;

namespace XenLite.Tests.Routing;

/// <summary>Finds files of the source tree from the test's output directory.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(string relative) => Path.Combine(Root, relative);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XenLite.sln"))) return dir.FullName;
        throw new InvalidOperationException("XenLite.sln not found above " + AppContext.BaseDirectory);
    }
}

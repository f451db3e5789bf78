using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace XenLite.Policy;

/// <summary>A position in a policy script; printed as file:line:col (1-based, path relative to the working directory).</summary>
public readonly record struct Loc(string File, int Line, int Col)
{
    public override string ToString() => $"{Display(File)}:{Line}:{Col}";

    public static string Display(string file)
    {
        if (string.IsNullOrEmpty(file)) return "<policy>";
        string rel = Path.GetRelativePath(Directory.GetCurrentDirectory(), file);
        return rel.StartsWith("..", StringComparison.Ordinal) ? file : rel;
    }
}

/// <summary>Where a rule came from: the call that declared it and the calls that led there (innermost first).</summary>
public sealed class Origin
{
    public readonly Loc[] Frames;
    public readonly Loc At;

    public Origin(Loc[] frames, string entryFile)
    {
        Frames = frames;
        // Report the line in the policy being compiled when the rule came through a helper library.
        At = frames.Length == 0 ? default : frames[0];
        foreach (Loc f in frames)
            if (f.File == entryFile) { At = f; break; }
    }

    public override string ToString() => At.ToString();

    /// <summary>"a.js:3:1 via lib/xen.js:40:2" style chain for explanations.</summary>
    public string Chain()
    {
        var parts = new List<string>();
        foreach (Loc f in Frames) parts.Add(f.ToString());
        return string.Join(" <- ", parts);
    }

    static readonly Regex Frame = new(@"^\s*at (?:.*? \()?(?<file>[^()]+?):(?<line>\d+):(?<col>\d+)\)?\s*$", RegexOptions.Compiled);

    /// <summary>Parses Jint's stack trace text into frames, dropping consecutive repeats. Jint's first
    /// line (the host function) repeats the caller's position but points at the last line of a call
    /// that spans several lines; the caller's own line has the call's start, so the first is skipped.</summary>
    public static Loc[] Parse(string stackTrace)
    {
        var frames = new List<Loc>();
        string[] lines = stackTrace.Split('\n');
        int first = 0;
        while (first < lines.Length && !Frame.IsMatch(lines[first])) first++;
        for (int i = first + 1 < lines.Length && Frame.IsMatch(lines[first + 1].TrimEnd('\r')) ? first + 1 : first; i < lines.Length; i++)
        {
            Match m = Frame.Match(lines[i].TrimEnd('\r'));
            if (!m.Success) continue;
            var loc = new Loc(m.Groups["file"].Value, int.Parse(m.Groups["line"].Value), int.Parse(m.Groups["col"].Value));
            if (frames.Count == 0 || frames[^1] != loc) frames.Add(loc);
        }
        return frames.ToArray();
    }
}

/// <summary>One problem found in a policy.</summary>
public readonly record struct Diagnostic(Loc At, string Message)
{
    public override string ToString() => $"{At}: {Message}";
}

using System;
using System.IO;
using System.Text.RegularExpressions;
using Jint;
using Jint.Runtime;

namespace XenLite.Policy;

/// <summary>Evaluates a policy script once in the sandbox and returns what it declared.</summary>
public static class PolicyLoader
{
    public static PolicyModel Load(string path)
    {
        string full = Path.GetFullPath(path);
        var model = new PolicyModel { EntryFile = full };
        if (!File.Exists(full))
        {
            model.Diagnostics.Add(new Diagnostic(new Loc(full, 1, 1), "no such policy file"));
            return model;
        }
        Engine engine = Sandbox.Create(Path.GetDirectoryName(full));
        PolicyApi.Register(engine, model);
        Run(engine, "./" + Path.GetFileName(full), full, model);
        return model;
    }

    /// <summary>Imports a module, turning every way a script can fail into a located diagnostic.</summary>
    public static void Run(Engine engine, string specifier, string file, PolicyModel model)
    {
        try
        {
            engine.Modules.Import(specifier);
        }
        catch (Exception e) when (e is JintException or JavaScriptException or PolicyArgumentException or InvalidOperationException)
        {
            model.Diagnostics.Add(Describe(e, file));
        }
    }

    static readonly Regex TrailingLocation = new(@"^(?<msg>.*?)\s*\((?<file>[^()]+):(?<line>\d+):(?<col>\d+)\)\s*$", RegexOptions.Singleline);
    static readonly Regex ModulePrefix = new(@"^Error while loading module: error in module '[^']*': ");

    internal static Diagnostic Describe(Exception e, string file)
    {
        string message = ModulePrefix.Replace(e.Message, "");
        Match m = TrailingLocation.Match(message);
        if (m.Success)
            return new Diagnostic(new Loc(m.Groups["file"].Value, int.Parse(m.Groups["line"].Value), int.Parse(m.Groups["col"].Value)),
                Kind(e, m.Groups["msg"].Value));
        if (e is JavaScriptException js && js.Location.Start.Line > 0)
            return new Diagnostic(new Loc(js.Location.SourceFile ?? file, js.Location.Start.Line, js.Location.Start.Column + 1), Kind(e, message));
        if (JintException.TryGetJavaScriptLocation(e, out var loc) && loc.Start.Line > 0)
            return new Diagnostic(new Loc(loc.SourceFile ?? file, loc.Start.Line, loc.Start.Column + 1), Kind(e, message));
        return new Diagnostic(new Loc(file, 1, 1), Kind(e, message));
    }

    static string Kind(Exception e, string message) => e switch
    {
        StatementsCountOverflowException => $"statement limit exceeded ({Sandbox.MaxStatements})",
        TimeoutException => $"time limit exceeded ({Sandbox.Timeout.TotalSeconds} s)",
        MemoryLimitExceededException => $"memory limit exceeded ({Sandbox.MaxMemory >> 20} MiB)",
        RecursionDepthOverflowException => $"recursion limit exceeded ({Sandbox.MaxRecursion})",
        _ when e.Message.Contains("Unexpected", StringComparison.Ordinal) || e.Message.Contains("SyntaxError", StringComparison.Ordinal) => "syntax error: " + message,
        _ => message,
    };
}

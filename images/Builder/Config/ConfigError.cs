using System;
using System.Collections.Generic;
using System.Linq;

namespace XenLite.ImageBuilder.Config;

/// <summary>
/// Where a config value came from: a JSON file position, an environment variable or a `--set`
/// argument. Printed first in every error, so editors can jump to a file position.
/// </summary>
public sealed record ConfigLocation(string File, TextPosition Position, string Source)
{
    public static ConfigLocation InFile(string file, TextPosition at) => new(file, at, null);
    public static ConfigLocation Environment(string variable) => new(null, default, "environment variable " + variable);
    public static ConfigLocation CommandLine(string key) => new(null, default, "--set " + key);

    /// <summary>A whole file (cannot be read): no position.</summary>
    public static ConfigLocation WholeFile(string file) => new(file, default, null);

    public override string ToString() =>
        File == null ? Source : Position.Line == 0 ? File : $"{File}:{Position.Line}:{Position.Column}";
}

/// <summary>One config problem: `file:line:col: message` (the message names the key).</summary>
public sealed record ConfigError(ConfigLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}

/// <summary>The config cannot be used; <see cref="Errors"/> lists every problem found.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(params ConfigError[] errors) : this((IReadOnlyList<ConfigError>)errors) { }

    public ConfigException(IReadOnlyList<ConfigError> errors) : base(string.Join("\n", errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    public IReadOnlyList<ConfigError> Errors { get; }
}

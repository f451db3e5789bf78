using System;
using System.Collections.Generic;
using System.IO;
using XenLite.ImageBuilder.Config;

namespace XenLite.Builder.Tests;

/// <summary>Writes configs into a scratch directory (with a guest kernel file beside them) and loads them.</summary>
public sealed class ConfigFiles : IDisposable
{
    public readonly string Dir = Directory.CreateTempSubdirectory("xenlite-config-").FullName;

    public ConfigFiles()
    {
        File.WriteAllBytes(Path.Combine(Dir, "guest.elf"), new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' });
    }

    /// <summary>Writes <paramref name="json"/> as <paramref name="name"/>; returns its path.</summary>
    public string Write(string json, string name = "image.json")
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, json.Replace("\r\n", "\n"));
        return path;
    }

    public ImageConfig Load(string json, params string[] sets) => ImageConfigLoader.Load(Write(json), sets);

    /// <summary>The errors loading <paramref name="json"/> gives (fails when it loads).</summary>
    public IReadOnlyList<ConfigError> Errors(string json, params string[] sets)
    {
        try
        {
            Load(json, sets);
        }
        catch (ConfigException e)
        {
            return e.Errors;
        }
        throw new InvalidOperationException("the config loaded without errors");
    }

    public void Dispose() => Directory.Delete(Dir, true);
}

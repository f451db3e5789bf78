using System;
using System.IO;
using System.Text.Json;
using XenLite.Hv.Dispatch;

namespace XenLite.Cli;

/// <summary>
/// Reads what the toolstack needs from an image config (images/*.json). For now that is the
/// `plugins` object: booleans naming the optional features built into the image. A plugin
/// not named there is not built in.
/// </summary>
public static class ImageConfig
{
    public const Feature AllPlugins = Feature.Argo | Feature.Hypfs | Feature.Kexec | Feature.Xenoprof;
    const string KnownPlugins = "argo, flask, hypfs, kexec, xenoprof";

    /// <summary>The features a config enables; on failure <paramref name="error"/> is "file:line:col: message".</summary>
    public static bool TryLoadPlugins(string path, out Feature features, out string error)
    {
        features = Feature.Core;
        error = null;
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"--config {path}: cannot read: {e.Message}";
            return false;
        }

        if (json.AsSpan().StartsWith("\uFEFF"u8)) json = json[3..];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
                return Fail(path, json, reader.TokenStartIndex, "an image config must be a JSON object", out error);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                bool isPlugins = reader.ValueTextEquals("plugins"u8);
                reader.Read();
                if (!isPlugins)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.StartObject)
                    return Fail(path, json, reader.TokenStartIndex, "'plugins' must be an object of booleans", out error);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string name = reader.GetString();
                    long at = reader.TokenStartIndex;
                    if (!TryPlugin(name, out Feature f))
                        return Fail(path, json, at, $"unknown plugin '{name}' (known: {KnownPlugins})", out error);
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.True && reader.TokenType != JsonTokenType.False)
                        return Fail(path, json, reader.TokenStartIndex, $"plugin '{name}' must be true or false", out error);
                    if (reader.TokenType == JsonTokenType.True) features |= f;
                    else features &= ~f;
                }
            }
            while (reader.Read()) { } // anything after the object is an error the reader reports
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1, col = (e.BytePositionInLine ?? 0) + 1;
            error = $"{path}:{line}:{col}: {WithoutPosition(e.Message)}";
            features = Feature.Core;
            return false;
        }
        return true;
    }

    static bool TryPlugin(string name, out Feature f)
    {
        f = name switch
        {
            "argo" => Feature.Argo,
            "hypfs" => Feature.Hypfs,
            "kexec" => Feature.Kexec,
            "xenoprof" => Feature.Xenoprof,
            _ => Feature.Core,
        };
        // Flask is an XSM module, not a routing row: valid here, no effect on the table.
        return f != Feature.Core || name == "flask";
    }

    static bool Fail(string path, byte[] json, long offset, string message, out string error)
    {
        int line = 1, col = 1;
        for (long i = 0; i < offset && i < json.Length; i++)
        {
            if (json[i] == '\n') { line++; col = 1; }
            else col++;
        }
        error = $"{path}:{line}:{col}: {message}";
        return false;
    }

    /// <summary>System.Text.Json appends " LineNumber: n | BytePositionInLine: m."; we print the position first instead.</summary>
    static string WithoutPosition(string message)
    {
        int i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return i < 0 ? message : message[..i];
    }
}

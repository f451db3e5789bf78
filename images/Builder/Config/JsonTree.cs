using System.Buffers;
using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace XenLite.ImageBuilder.Config;

/// <summary>A position in a text file: 1-based line and column (columns count characters).</summary>
public readonly record struct TextPosition(int Line, int Column);

/// <summary>
/// One JSON value with where it is. Microsoft.Extensions.Configuration's JSON provider flattens the
/// file to strings and forgets positions, so the config is also read here with Utf8JsonReader to
/// report errors at `file:line:col` and to tell a number from a string or an array from an object.
/// </summary>
public sealed class JsonTree
{
    public JsonValueKind Kind { get; private init; }
    /// <summary>The configuration path ("guests:0:memory"), as the JSON provider names it.</summary>
    public string Path { get; private init; }
    /// <summary>Where the value starts.</summary>
    public TextPosition At { get; private init; }
    /// <summary>Where the property name starts (for an array element: the element itself).</summary>
    public TextPosition KeyAt { get; private init; }
    /// <summary>The property name as written (null for the root and array elements).</summary>
    public string Key { get; private init; }
    /// <summary>Scalars: the text the JSON provider would store.</summary>
    public string Text { get; private init; }
    /// <summary>Objects: properties in file order; arrays: elements.</summary>
    public List<JsonTree> Children { get; } = new();

    public JsonTree Child(string key)
    {
        foreach (var c in Children)
            if (string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase)) return c;
        return null;
    }

    /// <summary>The node at a configuration path, or null.</summary>
    public JsonTree Find(string path)
    {
        if (string.Equals(path, Path, StringComparison.OrdinalIgnoreCase)) return this;
        foreach (var c in Children)
            if (path.StartsWith(c.Path, StringComparison.OrdinalIgnoreCase)
                && (path.Length == c.Path.Length || path[c.Path.Length] == ':'))
                return c.Find(path);
        return null;
    }

    /// <summary>Parses <paramref name="json"/> (comments and trailing commas allowed, as the JSON provider allows).</summary>
    public static JsonTree Parse(string file, byte[] json)
    {
        int start = json.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var lines = new LineMap(json, start);
        var reader = new Utf8JsonReader(json.AsSpan(start), new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        try
        {
            if (!reader.Read()) throw new ConfigException(new ConfigError(ConfigLocation.InFile(file, new TextPosition(1, 1)), "the file is empty: an image config is a JSON object"));
            var root = ReadValue(ref reader, file, lines, "", null, new TextPosition(1, 1));
            if (reader.Read())
                throw new ConfigException(new ConfigError(ConfigLocation.InFile(file, lines.At(reader.TokenStartIndex)), "unexpected text after the config object"));
            return root;
        }
        catch (JsonException e)
        {
            var at = new TextPosition((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);
            throw new ConfigException(new ConfigError(ConfigLocation.InFile(file, at), "invalid JSON: " + WithoutPosition(e.Message)));
        }
    }

    static JsonTree ReadValue(ref Utf8JsonReader r, string file, LineMap lines, string path, string key, TextPosition keyAt)
    {
        var at = lines.At(r.TokenStartIndex);
        switch (r.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var node = new JsonTree { Kind = JsonValueKind.Object, Path = path, At = at, KeyAt = key == null ? at : keyAt, Key = key };
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    string name = r.GetString();
                    var nameAt = lines.At(r.TokenStartIndex);
                    string childPath = path.Length == 0 ? name : path + ":" + name;
                    if (!seen.Add(name))
                        throw new ConfigException(new ConfigError(ConfigLocation.InFile(file, nameAt), $"duplicate key '{childPath}'"));
                    r.Read();
                    node.Children.Add(ReadValue(ref r, file, lines, childPath, name, nameAt));
                }
                return node;
            }
            case JsonTokenType.StartArray:
            {
                var node = new JsonTree { Kind = JsonValueKind.Array, Path = path, At = at, KeyAt = key == null ? at : keyAt, Key = key };
                int i = 0;
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    string childPath = path.Length == 0 ? i.ToString() : path + ":" + i;
                    node.Children.Add(ReadValue(ref r, file, lines, childPath, null, lines.At(r.TokenStartIndex)));
                    i++;
                }
                return node;
            }
            default:
            {
                var kind = r.TokenType switch
                {
                    JsonTokenType.String => JsonValueKind.String,
                    JsonTokenType.Number => JsonValueKind.Number,
                    JsonTokenType.True => JsonValueKind.True,
                    JsonTokenType.False => JsonValueKind.False,
                    _ => JsonValueKind.Null,
                };
                string text = kind switch
                {
                    JsonValueKind.String => r.GetString(),
                    JsonValueKind.Number => Encoding.UTF8.GetString(r.HasValueSequence ? r.ValueSequence.ToArray() : r.ValueSpan.ToArray()),
                    JsonValueKind.True => "True",
                    JsonValueKind.False => "False",
                    _ => null,
                };
                return new JsonTree { Kind = kind, Path = path, At = at, KeyAt = key == null ? at : keyAt, Key = key, Text = text };
            }
        }
    }

    /// <summary>System.Text.Json appends " LineNumber: n | BytePositionInLine: m."; the position is printed first instead.</summary>
    static string WithoutPosition(string message)
    {
        int i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return i < 0 ? message : message[..i];
    }

    /// <summary>Byte offsets (relative to the text after any BOM) → line and character column.</summary>
    sealed class LineMap(byte[] bytes, int start)
    {
        public TextPosition At(long offset)
        {
            int line = 1, col = 1;
            long end = Math.Min(start + offset, bytes.Length);
            for (long i = start; i < end; i++)
            {
                byte b = bytes[i];
                if (b == (byte)'\n') { line++; col = 1; }
                else if ((b & 0xC0) != 0x80) col++; // UTF-8 continuation bytes do not start a character
            }
            return new TextPosition(line, col);
        }
    }
}

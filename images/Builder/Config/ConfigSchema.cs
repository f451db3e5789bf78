using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace XenLite.ImageBuilder.Config;

/// <summary>What a config key may hold.</summary>
public enum SchemaKind { Object, Array, Map, String, Bool, Integer, Address, Enum, BoolOrObject }

/// <summary>
/// The shape of an image config: every key a config may name and the type of its value. Unknown
/// keys and wrong types are found here, before binding, so each error can name its position.
/// </summary>
public sealed class SchemaNode
{
    public SchemaKind Kind { get; private init; }
    public Dictionary<string, SchemaNode> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Arrays and maps: the element's shape.</summary>
    public SchemaNode Element { get; private init; }
    public string[] Allowed { get; private init; }
    public long Min { get; private init; }
    public long Max { get; private init; }

    public static SchemaNode Obj(params (string Name, SchemaNode Node)[] props)
    {
        var n = new SchemaNode { Kind = SchemaKind.Object };
        foreach (var (name, node) in props) n.Properties.Add(name, node);
        return n;
    }

    public static SchemaNode Either(params (string Name, SchemaNode Node)[] props)
    {
        var n = new SchemaNode { Kind = SchemaKind.BoolOrObject };
        foreach (var (name, node) in props) n.Properties.Add(name, node);
        return n;
    }

    public static SchemaNode ArrayOf(SchemaNode e) => new() { Kind = SchemaKind.Array, Element = e };
    public static SchemaNode MapOf(SchemaNode e) => new() { Kind = SchemaKind.Map, Element = e };
    public static SchemaNode Str() => new() { Kind = SchemaKind.String };
    public static SchemaNode Bool() => new() { Kind = SchemaKind.Bool };
    public static SchemaNode Int(long min, long max) => new() { Kind = SchemaKind.Integer, Min = min, Max = max };
    public static SchemaNode Addr() => new() { Kind = SchemaKind.Address };
    public static SchemaNode OneOf(params string[] values) => new() { Kind = SchemaKind.Enum, Allowed = values };

    public bool IsContainer => Kind is SchemaKind.Object or SchemaKind.Array or SchemaKind.Map;

    public string Describe() => Kind switch
    {
        SchemaKind.Object => "an object",
        SchemaKind.Array => "an array",
        SchemaKind.Map => "an object",
        SchemaKind.String => "a string",
        SchemaKind.Bool => "true or false",
        SchemaKind.Integer => $"an integer from {Min} to {Max}",
        SchemaKind.Address => "an address (a number or a \"0x…\" string)",
        SchemaKind.Enum => "one of " + string.Join(", ", Allowed.Select(a => $"'{a}'")),
        SchemaKind.BoolOrObject => "true, false or an object",
        _ => Kind.ToString(),
    };

    /// <summary>Null when <paramref name="text"/> is a valid value of this leaf, else why not.</summary>
    public string CheckText(string text)
    {
        switch (Kind)
        {
            case SchemaKind.String:
                return null;
            case SchemaKind.Bool:
            case SchemaKind.BoolOrObject:
                return bool.TryParse(text, out _) ? null : "must be " + (Kind == SchemaKind.Bool ? Describe() : "true or false");
            case SchemaKind.Integer:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)) return "must be " + Describe();
                return v < Min || v > Max ? $"is {v}: must be from {Min} to {Max}" : null;
            case SchemaKind.Address:
                return ImageConfigValues.TryParseAddress(text, out _) ? null : "must be " + Describe();
            case SchemaKind.Enum:
                return Allowed.Contains(text, StringComparer.Ordinal) ? null : $"is '{text}': must be " + Describe();
            default:
                return "must be " + Describe();
        }
    }

    /// <summary>Whether a JSON value of <paramref name="kind"/> can be this leaf at all (before its text is checked).</summary>
    public bool AcceptsJson(JsonValueKind kind) => Kind switch
    {
        SchemaKind.Object or SchemaKind.Map => kind == JsonValueKind.Object,
        SchemaKind.Array => kind == JsonValueKind.Array,
        SchemaKind.String or SchemaKind.Enum => kind == JsonValueKind.String,
        SchemaKind.Bool => kind is JsonValueKind.True or JsonValueKind.False,
        SchemaKind.BoolOrObject => kind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Object,
        SchemaKind.Integer => kind == JsonValueKind.Number,
        SchemaKind.Address => kind is JsonValueKind.Number or JsonValueKind.String,
        _ => false,
    };
}

/// <summary>The image config's schema (docs/images.md describes each key).</summary>
public static class ConfigSchema
{
    public const int MaxGuestMemoryMiB = 65536;

    public static readonly SchemaNode Root = SchemaNode.Obj(
        ("name", SchemaNode.Str()),
        ("description", SchemaNode.Str()),
        ("arch", SchemaNode.OneOf("x86_64", "arm64")),
        ("hypervisor", SchemaNode.Obj(
            ("cmdline", SchemaNode.Str()),
            ("console", SchemaNode.OneOf("com1", "dtuart", "none")))),
        ("plugins", SchemaNode.MapOf(SchemaNode.Either(
            ("enabled", SchemaNode.Bool()),
            ("options", SchemaNode.MapOf(SchemaNode.Str()))))),
        ("guests", SchemaNode.ArrayOf(SchemaNode.Obj(
            ("label", SchemaNode.Str()),
            ("image", SchemaNode.Str()),
            ("kind", SchemaNode.OneOf("pvh", "pv", "arm")),
            ("memory", SchemaNode.Int(1, MaxGuestMemoryMiB)),
            ("memoryBase", SchemaNode.Addr()),
            ("vcpus", SchemaNode.Int(1, 128)),
            ("cmdline", SchemaNode.Str()),
            ("privileged", SchemaNode.Bool()),
            ("embedded", SchemaNode.Bool())))),
        ("bootPolicy", SchemaNode.Obj(
            ("file", SchemaNode.Str()))));

    /// <summary>Checks every key and value of the JSON file against the schema.</summary>
    public static void Check(string file, JsonTree root, List<ConfigError> errors)
    {
        if (root.Kind != JsonValueKind.Object)
        {
            errors.Add(new ConfigError(ConfigLocation.InFile(file, root.At), "an image config must be a JSON object"));
            return;
        }
        CheckNode(file, root, Root, errors);
    }

    static void CheckNode(string file, JsonTree node, SchemaNode schema, List<ConfigError> errors)
    {
        if (!schema.AcceptsJson(node.Kind))
        {
            errors.Add(new ConfigError(ConfigLocation.InFile(file, node.At), $"'{node.Path}' must be {schema.Describe()}, not {KindName(node.Kind)}"));
            return;
        }
        switch (node.Kind)
        {
            case JsonValueKind.Object:
                foreach (var child in node.Children)
                {
                    SchemaNode c = ChildSchema(schema, child.Key);
                    if (c == null) errors.Add(new ConfigError(ConfigLocation.InFile(file, child.KeyAt), UnknownKey(child.Path, schema)));
                    else CheckNode(file, child, c, errors);
                }
                break;
            case JsonValueKind.Array:
                foreach (var child in node.Children) CheckNode(file, child, schema.Element, errors);
                break;
            default:
                string why = schema.CheckText(node.Text);
                if (why != null) errors.Add(new ConfigError(ConfigLocation.InFile(file, node.At), $"'{node.Path}' {why}"));
                break;
        }
    }

    /// <summary>Checks one override (`--set` or environment) by its configuration path; null when valid.</summary>
    public static string CheckOverride(string path, string value)
    {
        string[] parts = path.Split(':');
        SchemaNode schema = Root;
        for (int i = 0; i < parts.Length; i++)
        {
            SchemaNode next;
            if (schema.Kind == SchemaKind.Array)
                next = int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? schema.Element : null;
            else next = ChildSchema(schema, parts[i]);
            if (next == null) return UnknownKey(string.Join(':', parts.Take(i + 1)), schema);
            schema = next;
        }
        if (schema.IsContainer) return $"'{path}' is {schema.Describe()}: set its keys one by one ('{path}:<key>=…')";
        string why = schema.CheckText(value);
        return why == null ? null : $"'{path}' {why}";
    }

    static SchemaNode ChildSchema(SchemaNode schema, string key) => schema.Kind switch
    {
        SchemaKind.Map => schema.Element,
        SchemaKind.Object or SchemaKind.BoolOrObject => schema.Properties.GetValueOrDefault(key),
        _ => null,
    };

    static string UnknownKey(string path, SchemaNode parent)
    {
        string known = parent.Properties.Count > 0 ? " (known: " + string.Join(", ", parent.Properties.Keys) + ")" : "";
        return parent.Kind == SchemaKind.Array ? $"'{path}': array elements are numbered 0, 1, …" : $"unknown key '{path}'{known}";
    }

    static string KindName(JsonValueKind k) => k switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

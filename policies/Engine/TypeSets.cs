using System.Collections.Generic;

namespace XenLite.Policy;

/// <summary>Resolves type-set specs: names of types or attributes, "*" (every type), "~x" (every
/// type not in x) and "-x" (remove x from the rest of the set, as in { domain_type -dom0_t }).</summary>
sealed class TypeSets
{
    readonly Dictionary<string, int> _types;
    readonly Dictionary<string, SortedSet<int>> _attributes;
    readonly int _count;

    public TypeSets(Dictionary<string, int> types, Dictionary<string, SortedSet<int>> attributes)
    {
        _types = types;
        _attributes = attributes;
        _count = types.Count;
    }

    public bool IsKnown(string name) => _types.ContainsKey(name) || _attributes.ContainsKey(name);

    /// <summary>The types of a spec, ascending; unknown names are returned in <paramref name="unknown"/>.</summary>
    public int[] Expand(string[] spec, List<string> unknown)
    {
        var set = new SortedSet<int>();
        var removed = new SortedSet<int>();
        foreach (string item in spec)
        {
            if (item == "*") { for (int i = 0; i < _count; i++) set.Add(i); continue; }
            if (item.StartsWith('~'))
            {
                var inner = One(item[1..], unknown);
                for (int i = 0; i < _count; i++) if (!inner.Contains(i)) set.Add(i);
                continue;
            }
            if (item.StartsWith('-')) { removed.UnionWith(One(item[1..], unknown)); continue; }
            set.UnionWith(One(item, unknown));
        }
        set.ExceptWith(removed);
        var result = new int[set.Count];
        set.CopyTo(result);
        return result;
    }

    SortedSet<int> One(string name, List<string> unknown)
    {
        if (_types.TryGetValue(name, out int t)) return new SortedSet<int> { t };
        if (_attributes.TryGetValue(name, out var members)) return members;
        unknown.Add(name);
        return new SortedSet<int>();
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using XenLite.Flask;

namespace XenLite.Policy;

/// <summary>Writes the binary table in <see cref="PolicyFormat"/>'s layout. Everything is emitted in a
/// fixed order (declaration order, then ascending indexes), so the same policy gives the same bytes.</summary>
static class BlobWriter
{
    const int C = FlaskSchema.ClassCount;

    public static byte[] Write(CompiledPolicy cp, TypeSets sets, List<Diagnostic> diags)
    {
        var model = cp.Model;
        int n = cp.Types.Length;
        var strings = new StringPool();

        // Unconditional rules fill the base cells; conditional ones become cond rules merged per cell.
        var cells = new SortedDictionary<long, uint[]>();
        var cond = new SortedDictionary<(int Cond, int Branch, int S, int T, int C), uint[]>();
        foreach (var x in cp.Rules)
        {
            int slot = x.Rule.Kind switch { RuleKind.Allow => 0, RuleKind.AuditAllow => 1, RuleKind.DontAudit => 2, _ => -1 };
            if (slot < 0) continue;
            foreach (int s in x.Sources)
                foreach (int t in x.Targets)
                    foreach (var (c, mask) in x.Masks)
                    {
                        uint[] av;
                        if (x.Rule.Condition < 0)
                        {
                            long key = (long)s * n + t;
                            if (!cells.TryGetValue(key, out av)) cells[key] = av = new uint[C * 3];
                            av[c * 3 + slot] |= mask;
                        }
                        else
                        {
                            var key = (x.Rule.Condition, x.Rule.Branch ? 1 : 0, s, t, c);
                            if (!cond.TryGetValue(key, out av)) cond[key] = av = new uint[3];
                            av[slot] |= mask;
                        }
                    }
        }

        // Deduplicate avs and rows; index 0 of each is the all-zero one.
        var avIndex = new Dictionary<(uint, uint, uint), uint> { [(0, 0, 0)] = 0 };
        var avs = new List<uint> { 0, 0, 0 };
        var rowIndex = new Dictionary<string, uint> { [string.Join(",", new uint[C])] = 0 };
        var rows = new List<uint>(new uint[C]);
        var pairRows = new uint[(long)n * n];
        foreach (var (key, cell) in cells)
        {
            var row = new uint[C];
            for (int c = 0; c < C; c++)
            {
                var triple = (cell[c * 3], cell[c * 3 + 1], cell[c * 3 + 2]);
                if (!avIndex.TryGetValue(triple, out uint ai))
                {
                    avIndex[triple] = ai = (uint)avIndex.Count;
                    avs.Add(triple.Item1); avs.Add(triple.Item2); avs.Add(triple.Item3);
                }
                row[c] = ai;
            }
            string rowKey = string.Join(",", row);
            if (!rowIndex.TryGetValue(rowKey, out uint ri))
            {
                rowIndex[rowKey] = ri = (uint)rowIndex.Count;
                rows.AddRange(row);
            }
            pairRows[key] = ri;
        }

        var tokens = new List<uint>();
        var condStart = new List<(uint First, uint Count)>();
        foreach (uint[] rpn in cp.Conditions) { condStart.Add(((uint)tokens.Count, (uint)rpn.Length)); tokens.AddRange(rpn); }
        var condWords = new List<uint>();
        foreach (var (key, av) in cond)
            condWords.AddRange(new[] { condStart[key.Cond].First, condStart[key.Cond].Count, (uint)key.Branch, (uint)key.S, (uint)key.T, (uint)key.C, av[0], av[1], av[2] });

        var transitions = Transitions(cp, sets, diags);
        var initial = InitialSids(cp, diags);
        var permissive = new uint[n];
        foreach (var (type, origin) in model.Permissive)
        {
            if (cp.TypeIndex.TryGetValue(type, out int ti)) permissive[ti] = 1;
            else diags.Add(new(origin.At, $"unknown type '{type}'"));
        }
        var ocons = Ocontexts(cp, strings, diags);
        var labels = new List<uint>();
        var seenLabels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in model.DomainLabels)
        {
            if (!seenLabels.Add(l.Name)) diags.Add(new(l.Origin.At, $"label '{l.Name}' is declared twice"));
            else if (!cp.TypeIndex.TryGetValue(l.Type, out int ti)) diags.Add(new(l.Origin.At, $"unknown type '{l.Type}'"));
            else { labels.Add(strings.Add(l.Name)); labels.Add((uint)ti); }
        }
        if (diags.Count > 0) return null;

        var typeNames = cp.Types.Select(strings.Add).ToArray();
        var boolWords = new List<uint>();
        for (int i = 0; i < cp.Bools.Length; i++) { boolWords.Add(strings.Add(cp.Bools[i])); boolWords.Add(cp.BoolDefaults[i] ? 1u : 0u); }

        var words = new List<uint>(new uint[PolicyFormat.HeaderWords]);
        words[PolicyFormat.HMagic] = PolicyFormat.Magic;
        words[PolicyFormat.HVersion] = PolicyFormat.Version;
        words[PolicyFormat.HFlags] = model.Enforcing ? PolicyFormat.FlagEnforcing : 0;
        words[PolicyFormat.HTypes] = (uint)n;
        words[PolicyFormat.HClasses] = C;
        words[PolicyFormat.HPermissions] = FlaskSchema.PermissionCount;
        words[PolicyFormat.HBools] = (uint)cp.Bools.Length;
        words[PolicyFormat.HRows] = (uint)rowIndex.Count;
        words[PolicyFormat.HAvs] = (uint)avIndex.Count;
        words[PolicyFormat.HCondRules] = (uint)cond.Count;
        words[PolicyFormat.HCondTokens] = (uint)tokens.Count;
        words[PolicyFormat.HTransitions] = (uint)(transitions.Count / PolicyFormat.TransitionWords);
        words[PolicyFormat.HOcontexts] = (uint)(ocons.Count / PolicyFormat.OcontextWords);
        words[PolicyFormat.HLabels] = (uint)(labels.Count / PolicyFormat.LabelWords);
        words[PolicyFormat.HStrings] = (uint)strings.Length;
        words.AddRange(typeNames);
        words.AddRange(permissive);
        words.AddRange(initial);
        words.AddRange(boolWords);
        words.AddRange(pairRows);
        words.AddRange(rows);
        words.AddRange(avs);
        words.AddRange(tokens);
        words.AddRange(condWords);
        words.AddRange(transitions);
        words.AddRange(ocons);
        words.AddRange(labels);

        byte[] pool = strings.Bytes();
        var blob = new byte[words.Count * 4 + ((pool.Length + 3) & ~3)];
        for (int i = 0; i < words.Count; i++) BitConverter.TryWriteBytes(blob.AsSpan(i * 4), words[i]);
        pool.CopyTo(blob, words.Count * 4);
        BitConverter.TryWriteBytes(blob.AsSpan(PolicyFormat.HSize * 4), (uint)blob.Length);
        BitConverter.TryWriteBytes(blob.AsSpan(PolicyFormat.HChecksum * 4), Crc32.Compute(blob, PolicyFormat.HChecksum * 4));
        return blob;
    }

    static List<uint> Transitions(CompiledPolicy cp, TypeSets sets, List<Diagnostic> diags)
    {
        var table = new SortedDictionary<(int, int, int), (int New, TransitionRule Rule)>();
        foreach (var tr in cp.Model.Transitions)
        {
            var unknown = new List<string>();
            int[] sources = sets.Expand(tr.Sources, unknown), targets = sets.Expand(tr.Targets, unknown);
            if (!cp.TypeIndex.TryGetValue(tr.NewType, out int nt)) unknown.Add(tr.NewType);
            foreach (string u in unknown.Distinct()) diags.Add(new(tr.Origin.At, $"unknown type or attribute '{u}'"));
            foreach (string cls in tr.Classes)
            {
                int c = Schema.ClassOf(cls);
                if (c < 0) { diags.Add(new(tr.Origin.At, $"unknown class '{cls}'")); continue; }
                if (unknown.Count > 0) continue;
                foreach (int s in sources)
                    foreach (int t in targets)
                    {
                        if (table.TryGetValue((s, t, c), out var old) && old.New != nt)
                            diags.Add(new(tr.Origin.At, $"conflicting type transition for {cp.Types[s]} {cp.Types[t]}:{cls}: {cp.Types[old.New]} (at {old.Rule.Origin.At}) and {tr.NewType}"));
                        else table[(s, t, c)] = (nt, tr);
                    }
            }
        }
        var words = new List<uint>();
        foreach (var ((s, t, c), v) in table) words.AddRange(new[] { (uint)s, (uint)t, (uint)c, (uint)v.New });
        return words;
    }

    static uint[] InitialSids(CompiledPolicy cp, List<Diagnostic> diags)
    {
        var initial = Enumerable.Repeat(PolicyFormat.NoType, PolicyFormat.InitialSidCount).ToArray();
        foreach (var s in cp.Model.InitialSids)
        {
            int sid = Schema.InitialSidOf(s.Name);
            if (sid <= 0) diags.Add(new(s.Origin.At, $"unknown initial SID '{s.Name}' (one of {PolicyFormat.InitialSidNames.TrimEnd('\0').Replace('\0', ' ')})"));
            else if (!cp.TypeIndex.TryGetValue(s.Type, out int ti)) diags.Add(new(s.Origin.At, $"unknown type '{s.Type}'"));
            else initial[sid - 1] = (uint)ti;
        }
        if (initial[PolicyFormat.SidUnlabeled - 1] == PolicyFormat.NoType)
            diags.Add(new(new Loc(cp.Model.EntryFile, 1, 1), "the policy must label the 'unlabeled' initial SID: sid(\"unlabeled\", <type>)"));
        return initial;
    }

    static List<uint> Ocontexts(CompiledPolicy cp, StringPool strings, List<Diagnostic> diags)
    {
        var words = new List<uint>();
        var sorted = cp.Model.Resources.OrderBy(r => r.Kind).ThenBy(r => r.Low).ThenBy(r => r.Path, StringComparer.Ordinal).ToList();
        for (int i = 0; i < sorted.Count; i++)
        {
            var r = sorted[i];
            if (!cp.TypeIndex.TryGetValue(r.Type, out int ti)) { diags.Add(new(r.Origin.At, $"unknown type '{r.Type}'")); continue; }
            if (i > 0 && sorted[i - 1].Kind == r.Kind && r.Kind != PolicyFormat.OconDtree && sorted[i - 1].High >= r.Low)
                diags.Add(new(r.Origin.At, $"resource label overlaps the one at {sorted[i - 1].Origin.At}"));
            ulong lo = r.Kind == PolicyFormat.OconDtree ? strings.Add(r.Path) : r.Low;
            words.AddRange(new[] { r.Kind, (uint)lo, (uint)(lo >> 32), (uint)r.High, (uint)(r.High >> 32), (uint)ti });
        }
        return words;
    }

    sealed class StringPool
    {
        readonly Dictionary<string, uint> _offsets = new(StringComparer.Ordinal);
        readonly List<byte> _bytes = new();
        public int Length => _bytes.Count;

        public uint Add(string s)
        {
            if (_offsets.TryGetValue(s, out uint at)) return at;
            at = (uint)_bytes.Count;
            _offsets[s] = at;
            _bytes.AddRange(Encoding.UTF8.GetBytes(s));
            _bytes.Add(0);
            return at;
        }

        public byte[] Bytes() => _bytes.ToArray();
    }
}

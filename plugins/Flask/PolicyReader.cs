using XenLite.Hv.Abi;

namespace XenLite.Flask;

/// <summary>
/// Checks and loads a compiled policy blob. The blob comes from the toolstack (FLASK_LOAD), so it
/// is treated as hostile: every count, offset and index is bounded before use, and any fault gives
/// -EINVAL and no policy (the caller keeps the one in force).
/// </summary>
public static class PolicyReader
{
    const int MaxTypes = 4096;
    const int MaxEvaluationDepth = 32;

    public static int Read(byte[] blob, out FlaskPolicy policy)
    {
        policy = null;
        if (blob == null || blob.Length < PolicyFormat.HeaderWords * 4 || (blob.Length & 3) != 0) return -Errno.EINVAL;
        if (Word(blob, PolicyFormat.HMagic) != PolicyFormat.Magic) return -Errno.EINVAL;
        if (Word(blob, PolicyFormat.HVersion) != PolicyFormat.Version) return -Errno.EINVAL;
        if (Word(blob, PolicyFormat.HSize) != (uint)blob.Length) return -Errno.EINVAL;
        if (Crc32.Compute(blob, PolicyFormat.HChecksum * 4) != Word(blob, PolicyFormat.HChecksum)) return -Errno.EINVAL;
        if (Word(blob, PolicyFormat.HClasses) != FlaskSchema.ClassCount) return -Errno.EINVAL;
        if (Word(blob, PolicyFormat.HPermissions) != FlaskSchema.PermissionCount) return -Errno.EINVAL;

        uint types = Word(blob, PolicyFormat.HTypes);
        uint bools = Word(blob, PolicyFormat.HBools);
        uint rows = Word(blob, PolicyFormat.HRows);
        uint avs = Word(blob, PolicyFormat.HAvs);
        uint condRules = Word(blob, PolicyFormat.HCondRules);
        uint condTokens = Word(blob, PolicyFormat.HCondTokens);
        uint transitions = Word(blob, PolicyFormat.HTransitions);
        uint ocontexts = Word(blob, PolicyFormat.HOcontexts);
        uint labels = Word(blob, PolicyFormat.HLabels);
        uint strings = Word(blob, PolicyFormat.HStrings);
        if (types == 0 || types > MaxTypes || rows == 0 || avs == 0) return -Errno.EINVAL;

        // Every section's size in words, summed in 64 bits so no count can wrap the total.
        ulong words = PolicyFormat.HeaderWords;
        ulong typeNamesAt = words; words += types;
        ulong permissiveAt = words; words += types;
        ulong initialAt = words; words += PolicyFormat.InitialSidCount;
        ulong boolsAt = words; words += (ulong)bools * PolicyFormat.BoolWords;
        ulong pairRowsAt = words; words += (ulong)types * types;
        ulong rowsAt = words; words += (ulong)rows * FlaskSchema.ClassCount;
        ulong avsAt = words; words += (ulong)avs * PolicyFormat.AvWords;
        ulong tokensAt = words; words += condTokens;
        ulong condAt = words; words += (ulong)condRules * PolicyFormat.CondRuleWords;
        ulong transAt = words; words += (ulong)transitions * PolicyFormat.TransitionWords;
        ulong oconAt = words; words += (ulong)ocontexts * PolicyFormat.OcontextWords;
        ulong labelsAt = words; words += (ulong)labels * PolicyFormat.LabelWords;
        ulong stringsAt = words * 4;
        if (stringsAt + strings > (ulong)blob.Length || ((strings + 3) & ~3u) != (ulong)blob.Length - stringsAt) return -Errno.EINVAL;

        var p = new FlaskPolicy
        {
            Blob = blob,
            StringsAt = (int)stringsAt,
            StringsSize = (int)strings,
            TypeCount = (int)types,
            BoolCount = (int)bools,
            EnforcingDefault = (Word(blob, PolicyFormat.HFlags) & PolicyFormat.FlagEnforcing) != 0,
        };
        p.TypeNameOffsets = Slice(blob, typeNamesAt, types);
        p.Permissive = Slice(blob, permissiveAt, types);
        p.InitialTypes = Slice(blob, initialAt, PolicyFormat.InitialSidCount);
        uint[] boolWords = Slice(blob, boolsAt, bools * PolicyFormat.BoolWords);
        p.BasePairRows = Slice(blob, pairRowsAt, types * types);
        p.BaseRows = Slice(blob, rowsAt, rows * FlaskSchema.ClassCount);
        p.BaseAvs = Slice(blob, avsAt, avs * PolicyFormat.AvWords);
        p.BaseRowCount = (int)rows;
        p.BaseAvCount = (int)avs;
        p.CondTokens = Slice(blob, tokensAt, condTokens);
        p.CondRules = Slice(blob, condAt, condRules * PolicyFormat.CondRuleWords);
        p.Transitions = Slice(blob, transAt, transitions * PolicyFormat.TransitionWords);
        p.Ocontexts = Slice(blob, oconAt, ocontexts * PolicyFormat.OcontextWords);
        p.Labels = Slice(blob, labelsAt, labels * PolicyFormat.LabelWords);

        for (uint i = 0; i < types; i++)
            if (!NameOk(blob, stringsAt, strings, p.TypeNameOffsets[i])) return -Errno.EINVAL;
        for (int i = 0; i < PolicyFormat.InitialSidCount; i++)
            if (p.InitialTypes[i] != PolicyFormat.NoType && p.InitialTypes[i] >= types) return -Errno.EINVAL;
        if (p.InitialTypes[PolicyFormat.SidUnlabeled - 1] == PolicyFormat.NoType) return -Errno.EINVAL;

        p.BoolNameOffsets = new uint[bools];
        p.BoolValues = new byte[bools];
        p.BoolPending = new byte[bools];
        p.BoolDefaults = new byte[bools];
        for (uint i = 0; i < bools; i++)
        {
            p.BoolNameOffsets[i] = boolWords[i * 2];
            if (!NameOk(blob, stringsAt, strings, p.BoolNameOffsets[i]) || boolWords[i * 2 + 1] > 1) return -Errno.EINVAL;
            p.BoolPending[i] = p.BoolDefaults[i] = (byte)boolWords[i * 2 + 1];
        }

        if (!AllBelow(p.BasePairRows, 0, 1, rows) || !AllBelow(p.BaseRows, 0, 1, avs)) return -Errno.EINVAL;
        for (int c = 0; c < FlaskSchema.ClassCount; c++)
            if (p.BaseRows[c] != 0) return -Errno.EINVAL;
        if (p.BaseAvs[0] != 0 || p.BaseAvs[1] != 0 || p.BaseAvs[2] != 0) return -Errno.EINVAL;

        for (uint r = 0; r < condRules; r++)
        {
            uint at = r * PolicyFormat.CondRuleWords;
            uint first = p.CondRules[at], count = p.CondRules[at + 1];
            if ((ulong)first + count > condTokens || !ExpressionOk(p.CondTokens, first, count, bools)) return -Errno.EINVAL;
            if (p.CondRules[at + 2] > 1 || p.CondRules[at + 3] >= types || p.CondRules[at + 4] >= types) return -Errno.EINVAL;
            if (p.CondRules[at + 5] >= FlaskSchema.ClassCount) return -Errno.EINVAL;
        }

        for (uint i = 0; i < transitions; i++)
        {
            uint at = i * PolicyFormat.TransitionWords;
            if (p.Transitions[at] >= types || p.Transitions[at + 1] >= types || p.Transitions[at + 2] >= FlaskSchema.ClassCount || p.Transitions[at + 3] >= types)
                return -Errno.EINVAL;
            // Binary search needs strictly increasing keys.
            if (i > 0 && !Increasing(p.Transitions, at - PolicyFormat.TransitionWords, at)) return -Errno.EINVAL;
        }

        for (uint i = 0; i < ocontexts; i++)
        {
            uint at = i * PolicyFormat.OcontextWords;
            uint kind = p.Ocontexts[at];
            if (kind < PolicyFormat.OconIrq || kind > PolicyFormat.OconDtree || p.Ocontexts[at + 5] >= types) return -Errno.EINVAL;
            if (kind == PolicyFormat.OconDtree && !NameOk(blob, stringsAt, strings, p.Ocontexts[at + 1])) return -Errno.EINVAL;
        }

        for (uint i = 0; i < labels; i++)
        {
            uint at = i * PolicyFormat.LabelWords;
            if (!NameOk(blob, stringsAt, strings, p.Labels[at]) || p.Labels[at + 1] >= types) return -Errno.EINVAL;
        }

        p.CommitBooleans();
        p.LoadDevicetreeLabels();
        policy = p;
        return 0;
    }

    static bool Increasing(uint[] t, uint a, uint b)
    {
        for (uint k = 0; k < 3; k++)
            if (t[a + k] != t[b + k]) return t[a + k] < t[b + k];
        return false;
    }

    /// <summary>A postfix expression is well formed when it never pops an empty stack, stays within
    /// the evaluator's depth and leaves exactly one value.</summary>
    static bool ExpressionOk(uint[] tokens, uint first, uint count, uint bools)
    {
        int depth = 0;
        for (uint i = first; i < first + count; i++)
        {
            uint tok = tokens[i];
            if (tok == PolicyFormat.TokNot) { if (depth < 1) return false; }
            else if (tok == PolicyFormat.TokAnd || tok == PolicyFormat.TokOr) { if (depth < 2) return false; depth--; }
            else if (tok < bools) { if (++depth > MaxEvaluationDepth) return false; }
            else return false;
        }
        return depth == 1;
    }

    static bool AllBelow(uint[] values, int start, int step, uint limit)
    {
        for (int i = start; i < values.Length; i += step)
            if (values[i] >= limit) return false;
        return true;
    }

    static bool NameOk(byte[] blob, ulong stringsAt, uint strings, uint offset)
    {
        if (offset >= strings) return false;
        for (ulong i = stringsAt + offset; i < stringsAt + strings; i++)
            if (blob[i] == 0) return i > stringsAt + offset;
        return false;
    }

    static uint[] Slice(byte[] blob, ulong wordAt, uint count)
    {
        var words = new uint[count];
        for (uint i = 0; i < count; i++) words[i] = Word(blob, (int)(wordAt + i));
        return words;
    }

    internal static uint Word(byte[] blob, int index)
    {
        int at = index * 4;
        return blob[at] | (uint)blob[at + 1] << 8 | (uint)blob[at + 2] << 16 | (uint)blob[at + 3] << 24;
    }
}

using System;
using XenLite.Hv.Abi;

namespace XenLite.Flask;

/// <summary>
/// A loaded policy: the decision table and what the hooks need around it (initial SIDs, booleans,
/// transitions, device labels). A SID is a type index plus one; 0 is no SID.
/// Decisions are three array reads: pair row → class av → (allowed, auditallow, dontaudit).
/// Built only by <see cref="PolicyReader"/>, which has checked every index it stores.
/// </summary>
public sealed class FlaskPolicy
{
    internal byte[] Blob;
    internal int StringsAt;
    internal int StringsSize;

    public int TypeCount;
    public int BoolCount;
    public bool EnforcingDefault;

    internal uint[] TypeNameOffsets;
    internal uint[] Permissive;
    internal uint[] InitialTypes;
    internal uint[] BoolNameOffsets;
    /// <summary>Booleans in force (what decisions use) and pending (set but not yet committed).</summary>
    public byte[] BoolValues;
    public byte[] BoolPending;
    /// <summary>The values the policy declares (what a load starts with).</summary>
    public byte[] BoolDefaults;

    internal uint[] BasePairRows;
    internal uint[] BaseRows;
    internal uint[] BaseAvs;
    internal int BaseRowCount;
    internal int BaseAvCount;
    internal uint[] CondTokens;
    internal uint[] CondRules;
    internal uint[] Transitions;
    internal uint[] Ocontexts;
    internal uint[] Labels;

    // The effective table: the base table plus the conditional rules the booleans select.
    uint[] _pairRows;
    uint[] _rows;
    uint[] _avs;

    /// <summary>The decision for (subject SID, object SID, class): three array reads.</summary>
    public void Decide(uint ssid, uint tsid, int cls, out uint allowed, out uint auditallow, out uint dontaudit)
    {
        uint s = TypeOf(ssid), t = TypeOf(tsid);
        uint row = _pairRows[s * (uint)TypeCount + t];
        uint av = _rows[row * FlaskSchema.ClassCount + (uint)cls];
        allowed = _avs[av * 3];
        auditallow = _avs[av * 3 + 1];
        dontaudit = _avs[av * 3 + 2];
    }

    /// <summary>The type of a SID; an unknown SID is read as the unlabeled initial SID.</summary>
    public uint TypeOf(uint sid) =>
        sid != 0 && sid <= (uint)TypeCount ? sid - 1 : InitialTypes[PolicyFormat.SidUnlabeled - 1];

    /// <summary>The SID the policy gives an initial SID (SECINITSID_*); unset ones read as unlabeled.</summary>
    public uint InitialSid(uint initial)
    {
        uint type = initial >= 1 && initial <= PolicyFormat.InitialSidCount ? InitialTypes[initial - 1] : PolicyFormat.NoType;
        if (type == PolicyFormat.NoType) type = InitialTypes[PolicyFormat.SidUnlabeled - 1];
        return type + 1;
    }

    public bool IsPermissive(uint sid) => Permissive[TypeOf(sid)] != 0;

    /// <summary>security_transition_sid: the type_transition result, else the subject for the
    /// domain class and the object for the others (as Xen's security server defaults).</summary>
    public uint Transition(uint ssid, uint tsid, int cls)
    {
        uint s = TypeOf(ssid), t = TypeOf(tsid);
        int lo = 0, hi = Transitions.Length / PolicyFormat.TransitionWords - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            int at = mid * PolicyFormat.TransitionWords;
            int order = Compare(Transitions[at], Transitions[at + 1], Transitions[at + 2], s, t, (uint)cls);
            if (order == 0) return Transitions[at + 3] + 1;
            if (order < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return DefaultType(ssid, tsid, cls);
    }

    /// <summary>The SID security_compute_sid gives when no rule applies: the subject's type for
    /// the domain class, the object's for every other (also the whole answer of change/member,
    /// which compiled policies have no rules for).</summary>
    public uint DefaultType(uint ssid, uint tsid, int cls) => (cls == FlaskSchema.ClassDomain ? TypeOf(ssid) : TypeOf(tsid)) + 1;

    static int Compare(uint s1, uint t1, uint c1, uint s2, uint t2, uint c2)
    {
        if (s1 != s2) return s1 < s2 ? -1 : 1;
        if (t1 != t2) return t1 < t2 ? -1 : 1;
        if (c1 != c2) return c1 < c2 ? -1 : 1;
        return 0;
    }

    /// <summary>The SID labelling one machine resource of a kind (OCON_*), or the kind's initial SID.</summary>
    public uint ResourceSid(uint kind, ulong value)
    {
        for (int i = 0; i < Ocontexts.Length; i += PolicyFormat.OcontextWords)
        {
            if (Ocontexts[i] != kind || kind == PolicyFormat.OconDtree) continue;
            ulong lo = Ocontexts[i + 1] | (ulong)Ocontexts[i + 2] << 32;
            ulong hi = Ocontexts[i + 3] | (ulong)Ocontexts[i + 4] << 32;
            if (value >= lo && value <= hi) return Ocontexts[i + 5] + 1;
        }
        return InitialSid(DefaultSidOf(kind));
    }

    /// <summary>How many ocontexts of a kind exist (to iterate a range's labels with <see cref="OcontextAt"/>).</summary>
    public int OcontextCount => Ocontexts.Length / PolicyFormat.OcontextWords;

    public void OcontextAt(int index, out uint kind, out ulong lo, out ulong hi, out uint sid)
    {
        int i = index * PolicyFormat.OcontextWords;
        kind = Ocontexts[i];
        lo = Ocontexts[i + 1] | (ulong)Ocontexts[i + 2] << 32;
        hi = Ocontexts[i + 3] | (ulong)Ocontexts[i + 4] << 32;
        sid = Ocontexts[i + 5] + 1;
    }

    /// <summary>security_ocontext_add (FLASK_ADD_OCONTEXT): labels one pirq or PCI device, or a
    /// range of I/O ports or memory frames. Re-adding an entry with the same label is accepted;
    /// a clash with another label is -EEXIST.</summary>
    public int AddOcontext(uint kind, ulong low, ulong high, uint sid)
    {
        uint type = TypeOf(sid);
        switch (kind)
        {
            case PolicyFormat.OconIrq:
            case PolicyFormat.OconDevice:
                if (high != low) return -Errno.EINVAL;
                // Xen keeps a pirq in 16 bits and a device (SBDF) in 32.
                low = high = kind == PolicyFormat.OconIrq ? (ushort)low : (uint)low;
                break;
            case PolicyFormat.OconIoport:
            case PolicyFormat.OconIomem:
                break;
            default:
                return -Errno.EINVAL;
        }
        for (int i = 0; i < OcontextCount; i++)
        {
            OcontextAt(i, out uint k, out ulong lo, out ulong hi, out uint s);
            if (k != kind || lo > high || hi < low) continue;
            return lo == low && hi == high && s == type + 1 ? 0 : -Errno.EEXIST;
        }
        var grown = new uint[Ocontexts.Length + PolicyFormat.OcontextWords];
        for (int i = 0; i < Ocontexts.Length; i++) grown[i] = Ocontexts[i];
        int at = Ocontexts.Length;
        grown[at] = kind;
        grown[at + 1] = (uint)low;
        grown[at + 2] = (uint)(low >> 32);
        grown[at + 3] = (uint)high;
        grown[at + 4] = (uint)(high >> 32);
        grown[at + 5] = type;
        Ocontexts = grown;
        return 0;
    }

    /// <summary>security_ocontext_del (FLASK_DEL_OCONTEXT): a pirq or device by its number, a range
    /// only by its exact bounds; -ENOENT when there is no such entry.</summary>
    public int DelOcontext(uint kind, ulong low, ulong high)
    {
        bool single = kind == PolicyFormat.OconIrq || kind == PolicyFormat.OconDevice;
        if (!single && kind != PolicyFormat.OconIoport && kind != PolicyFormat.OconIomem) return -Errno.EINVAL;
        for (int i = 0; i < OcontextCount; i++)
        {
            OcontextAt(i, out uint k, out ulong lo, out ulong hi, out _);
            if (k != kind || lo != low || (!single && hi != high)) continue;
            var shrunk = new uint[Ocontexts.Length - PolicyFormat.OcontextWords];
            int cut = i * PolicyFormat.OcontextWords;
            for (int w = 0; w < shrunk.Length; w++) shrunk[w] = Ocontexts[w < cut ? w : w + PolicyFormat.OcontextWords];
            Ocontexts = shrunk;
            return 0;
        }
        return -Errno.ENOENT;
    }

    // Device-tree path labels: the policy's, then FLASK_DEVICETREE_LABEL's changes. Paths are kept
    // as their own byte arrays since guests add ones the blob's string pool does not hold.
    byte[][] _dtPaths = new byte[0][];
    uint[] _dtTypes = new uint[0];
    int _dtCount;

    /// <summary>security_devicetree_sid: the label of a device-tree path, or the device initial SID.</summary>
    public uint DevicetreeSid(ReadOnlySpan<byte> path)
    {
        int i = DevicetreeIndex(path);
        return i >= 0 ? _dtTypes[i] + 1 : InitialSid(PolicyFormat.SidDevice);
    }

    /// <summary>security_devicetree_setlabel: a non-zero SID labels a path not yet labelled
    /// (else -EEXIST); SID 0 removes a path's label (-ENOENT when it has none).</summary>
    public int SetDevicetreeLabel(ReadOnlySpan<byte> path, uint sid)
    {
        int i = DevicetreeIndex(path);
        if (sid == 0)
        {
            if (i < 0) return -Errno.ENOENT;
            _dtCount--;
            _dtPaths[i] = _dtPaths[_dtCount];
            _dtTypes[i] = _dtTypes[_dtCount];
            _dtPaths[_dtCount] = null;
            return 0;
        }
        if (i >= 0) return -Errno.EEXIST;
        var copy = new byte[path.Length];
        for (int k = 0; k < path.Length; k++) copy[k] = path[k];
        AddDevicetree(copy, TypeOf(sid));
        return 0;
    }

    /// <summary>Takes the policy's own device-tree labels (the reader calls this once).</summary>
    internal void LoadDevicetreeLabels()
    {
        for (int i = 0; i < OcontextCount; i++)
        {
            if (Ocontexts[i * PolicyFormat.OcontextWords] != PolicyFormat.OconDtree) continue;
            ReadOnlySpan<byte> name = Name(Ocontexts[i * PolicyFormat.OcontextWords + 1]);
            var copy = new byte[name.Length];
            for (int k = 0; k < name.Length; k++) copy[k] = name[k];
            AddDevicetree(copy, Ocontexts[i * PolicyFormat.OcontextWords + 5]);
        }
    }

    void AddDevicetree(byte[] path, uint type)
    {
        if (_dtCount == _dtPaths.Length)
        {
            int size = _dtCount == 0 ? 4 : _dtCount * 2;
            var paths = new byte[size][];
            var types = new uint[size];
            for (int k = 0; k < _dtCount; k++) { paths[k] = _dtPaths[k]; types[k] = _dtTypes[k]; }
            _dtPaths = paths;
            _dtTypes = types;
        }
        _dtPaths[_dtCount] = path;
        _dtTypes[_dtCount] = type;
        _dtCount++;
    }

    int DevicetreeIndex(ReadOnlySpan<byte> path)
    {
        for (int i = 0; i < _dtCount; i++)
        {
            byte[] p = _dtPaths[i];
            if (p.Length != path.Length) continue;
            int k = 0;
            while (k < p.Length && p[k] == path[k]) k++;
            if (k == p.Length) return i;
        }
        return -1;
    }

    public static uint DefaultSidOf(uint kind) => kind switch
    {
        PolicyFormat.OconIrq => PolicyFormat.SidIrq,
        PolicyFormat.OconIoport => PolicyFormat.SidIoport,
        PolicyFormat.OconIomem => PolicyFormat.SidIomem,
        _ => PolicyFormat.SidDevice,
    };

    /// <summary>
    /// The SID of an image-config domain label: one of the policy's label()s, else "dom0"/"domU"
    /// when the policy declares that initial SID (so a policy needs no label("dom0", …) for the
    /// usual dom0); 0 when it has no such label.
    /// </summary>
    public uint LabelSid(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < Labels.Length; i += PolicyFormat.LabelWords)
            if (NameEquals(Labels[i], name)) return Labels[i + 1] + 1;
        uint initial = name.SequenceEqual("dom0"u8) ? PolicyFormat.SidDom0 : name.SequenceEqual("domU"u8) ? PolicyFormat.SidDomU : 0;
        return initial != 0 && InitialTypes[initial - 1] != PolicyFormat.NoType ? InitialTypes[initial - 1] + 1 : 0;
    }

    /// <summary>The SID of a type name, or 0.</summary>
    public uint TypeSid(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < TypeCount; i++)
            if (NameEquals(TypeNameOffsets[i], name)) return (uint)i + 1;
        return 0;
    }

    /// <summary>A boolean's index by name, or -1.</summary>
    public int BoolIndex(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < BoolCount; i++)
            if (NameEquals(BoolNameOffsets[i], name)) return i;
        return -1;
    }

    bool NameEquals(uint offset, ReadOnlySpan<byte> name)
    {
        int at = StringsAt + (int)offset;
        for (int k = 0; k < name.Length; k++)
            if (Blob[at + k] != name[k]) return false;
        return Blob[at + name.Length] == 0;
    }

    /// <summary>The bytes of a type's name (for AVC lines and sid_to_context).</summary>
    public ReadOnlySpan<byte> TypeName(uint sid) => Name(TypeNameOffsets[TypeOf(sid)]);

    public ReadOnlySpan<byte> BoolName(int index) => Name(BoolNameOffsets[index]);

    ReadOnlySpan<byte> Name(uint offset)
    {
        int at = StringsAt + (int)offset, end = at;
        while (Blob[end] != 0) end++;
        return new ReadOnlySpan<byte>(Blob, at, end - at);
    }

    /// <summary>Makes the pending booleans the ones in force and rebuilds the effective table
    /// (flask commitbools).</summary>
    public void CommitBooleans()
    {
        for (int i = 0; i < BoolCount; i++) BoolValues[i] = BoolPending[i];
        Rebuild();
    }

    /// <summary>Sets one boolean in force (and pending) at once, leaving the others' pending
    /// values alone (setbool with commit).</summary>
    public void CommitBoolean(int index, byte value)
    {
        BoolValues[index] = BoolPending[index] = value;
        Rebuild();
    }

    /// <summary>Takes over the values of same-named booleans of the policy being replaced
    /// (security_preserve_bools on a reload).</summary>
    public void PreserveBooleans(FlaskPolicy old)
    {
        for (int i = 0; i < BoolCount; i++)
        {
            int j = old.BoolIndex(BoolName(i));
            if (j >= 0) BoolValues[i] = BoolPending[i] = old.BoolValues[j];
        }
        Rebuild();
    }

    /// <summary>Conditional rules only ever add bits, so the rebuild copies the base table and
    /// ORs each rule the booleans select into a private copy of its row and av.</summary>
    void Rebuild()
    {
        int rules = CondRules.Length / PolicyFormat.CondRuleWords;
        var pairRows = new uint[BasePairRows.Length];
        var rows = new uint[BaseRows.Length + rules * FlaskSchema.ClassCount];
        var avs = new uint[BaseAvs.Length + rules * PolicyFormat.AvWords];
        for (int i = 0; i < BasePairRows.Length; i++) pairRows[i] = BasePairRows[i];
        for (int i = 0; i < BaseRows.Length; i++) rows[i] = BaseRows[i];
        for (int i = 0; i < BaseAvs.Length; i++) avs[i] = BaseAvs[i];
        uint nextRow = (uint)BaseRowCount, nextAv = (uint)BaseAvCount;
        for (int r = 0; r < rules; r++)
        {
            int at = r * PolicyFormat.CondRuleWords;
            bool value = Evaluate(CondRules[at], CondRules[at + 1]);
            if (value != (CondRules[at + 2] != 0)) continue;
            uint cell = CondRules[at + 3] * (uint)TypeCount + CondRules[at + 4];
            uint row = pairRows[cell];
            if (row < (uint)BaseRowCount)
            {
                for (uint c = 0; c < FlaskSchema.ClassCount; c++)
                    rows[nextRow * FlaskSchema.ClassCount + c] = rows[row * FlaskSchema.ClassCount + c];
                row = nextRow++;
                pairRows[cell] = row;
            }
            uint slot = row * FlaskSchema.ClassCount + CondRules[at + 5];
            uint av = rows[slot];
            if (av < (uint)BaseAvCount)
            {
                for (uint k = 0; k < 3; k++) avs[nextAv * 3 + k] = avs[av * 3 + k];
                av = nextAv++;
                rows[slot] = av;
            }
            avs[av * 3] |= CondRules[at + 6];
            avs[av * 3 + 1] |= CondRules[at + 7];
            avs[av * 3 + 2] |= CondRules[at + 8];
        }
        _pairRows = pairRows;
        _rows = rows;
        _avs = avs;
    }

    /// <summary>Evaluates a postfix expression; the reader has checked it leaves exactly one value
    /// on a stack no deeper than 32, which is kept as bits of one word.</summary>
    bool Evaluate(uint first, uint count)
    {
        uint stack = 0;
        int depth = 0;
        for (uint i = first; i < first + count; i++)
        {
            uint tok = CondTokens[i];
            if (tok == PolicyFormat.TokNot) stack ^= 1u << (depth - 1);
            else if (tok == PolicyFormat.TokAnd || tok == PolicyFormat.TokOr)
            {
                uint a = (stack >> (depth - 1)) & 1, b = (stack >> (depth - 2)) & 1;
                uint v = tok == PolicyFormat.TokAnd ? a & b : a | b;
                depth--;
                stack = (stack & ~(3u << (depth - 1))) | (v << (depth - 1));
            }
            else
            {
                if (BoolValues[tok] != 0) stack |= 1u << depth;
                else stack &= ~(1u << depth);
                depth++;
            }
        }
        return (stack & 1) != 0;
    }
}

// Flattened device tree (DTB, devicetree-specification v0.4) reader. The blob
// comes from firmware, so every offset and length is checked before use: a bad
// tree yields an error string, never a fault or a loop. No allocation: usable
// before the heap exists. Big-endian fields are read byte by byte (no
// alignment assumptions).
namespace XenLite.Boot
{
    // One node, reported once all its properties have been seen.
    public unsafe struct DtNode
    {
        public int Depth;                 // root = 1
        public byte* Name;                // unit name, e.g. "memory@40000000"
        public int NameLength;
        public uint AddressCells, SizeCells;            // the parent's: how to read this node's reg
        public uint ChildAddressCells, ChildSizeCells;  // this node's #address-cells / #size-cells
        public uint PropertiesOffset;     // struct-block offset of its first property
    }

    public unsafe struct Fdt
    {
        public const uint Magic = 0xD00DFEED;
        public const uint MaxSize = 2 * 1024 * 1024;   // as Xen: a host tree is at most 2 MiB
        const uint BeginNode = 1, EndNode = 2, Prop = 3, Nop = 4, End = 9;
        public const int MaxDepth = 16;

        public byte* Blob;
        public uint TotalSize;
        byte* _struct, _strings;
        uint _structSize, _stringsSize, _reserveOffset;

        public static uint Be32(byte* p) => (uint)p[0] << 24 | (uint)p[1] << 16 | (uint)p[2] << 8 | p[3];
        public static ulong Be64(byte* p) => (ulong)Be32(p) << 32 | Be32(p + 4);

        // Checks the header; null when the blob is usable, else why not.
        // `available` bounds how far past `blob` may be read at all.
        public static string Open(byte* blob, ulong available, out Fdt fdt)
        {
            fdt = default;
            if (blob == null) return "no device tree pointer";
            if (((ulong)blob & 7) != 0) return "device tree pointer not 8-byte aligned";
            if (available < 40) return "device tree outside mapped memory";
            if (Be32(blob) != Magic) return "bad magic (not a flattened device tree)";
            uint total = Be32(blob + 4), offStruct = Be32(blob + 8), offStrings = Be32(blob + 12);
            uint offReserve = Be32(blob + 16), version = Be32(blob + 20), lastCompatible = Be32(blob + 24);
            uint sizeStrings = Be32(blob + 32), sizeStruct = Be32(blob + 36);
            if (version < 16 || lastCompatible > 17) return "unsupported version (need 16 or 17)";
            if (total < 40 || total > MaxSize) return "total size out of range";
            if (total > available) return "device tree runs past mapped memory";
            if ((offStruct & 3) != 0 || offStruct < 40 || offStruct > total || sizeStruct > total - offStruct)
                return "structure block outside the blob";
            if (offStrings > total || sizeStrings > total - offStrings) return "strings block outside the blob";
            if ((offReserve & 7) != 0 || offReserve < 40 || offReserve >= total) return "reservation map outside the blob";
            fdt.Blob = blob;
            fdt.TotalSize = total;
            fdt._struct = blob + offStruct;
            fdt._structSize = sizeStruct;
            fdt._strings = blob + offStrings;
            fdt._stringsSize = sizeStrings;
            fdt._reserveOffset = offReserve;
            return null;
        }

        // Memory reservation block entry i (terminated by a 0,0 entry).
        public bool Reservation(int i, out ulong address, out ulong size)
        {
            address = size = 0;
            ulong at = _reserveOffset + (ulong)i * 16;
            if (i < 0 || at + 16 > TotalSize) return false;
            address = Be64(Blob + at);
            size = Be64(Blob + at + 8);
            return address != 0 || size != 0;
        }

        static uint Align4(uint x) => (x + 3) & ~3u;

        // Length of the NUL-terminated string at p, or -1 if no NUL before `limit` bytes.
        static int StringLength(byte* p, uint limit)
        {
            for (uint i = 0; i < limit; i++) if (p[i] == 0) return (int)i;
            return -1;
        }

        // Walks the tree in document order. Call with offset 0, depth 0 and a
        // stack of MaxDepth nodes; returns 1 with `node` set (a node whose
        // properties are complete), 0 at the end, -1 with `error` on a bad tree.
        public int Next(ref uint offset, ref int depth, DtNode* stack, ref bool pending, out DtNode* node, out string error)
        {
            node = null;
            error = null;
            while (true)
            {
                if (offset > _structSize - 4 || _structSize < 4) { error = "structure block ends without FDT_END"; return -1; }
                uint token = Be32(_struct + offset);
                if (pending && (token == BeginNode || token == EndNode))
                {
                    pending = false;
                    node = stack + (depth - 1);
                    return 1;
                }
                switch (token)
                {
                    case BeginNode:
                    {
                        if (depth >= MaxDepth) { error = "nodes nested too deeply"; return -1; }
                        if (depth == 0 && offset != 0) { error = "more than one root node"; return -1; }
                        byte* name = _struct + offset + 4;
                        int length = StringLength(name, _structSize - offset - 4);
                        if (length < 0) { error = "node name runs past the structure block"; return -1; }
                        DtNode* n = stack + depth;
                        n->Depth = depth + 1;
                        n->Name = name;
                        n->NameLength = length;
                        n->AddressCells = depth == 0 ? 2u : stack[depth - 1].ChildAddressCells;
                        n->SizeCells = depth == 0 ? 1u : stack[depth - 1].ChildSizeCells;
                        n->ChildAddressCells = 2;
                        n->ChildSizeCells = 1;
                        offset += 4 + Align4((uint)length + 1);
                        n->PropertiesOffset = offset;
                        depth++;
                        pending = true;
                        break;
                    }
                    case Prop:
                    {
                        if (depth == 0) { error = "property outside any node"; return -1; }
                        if (!PropertyAt(offset, out byte* name, out byte* value, out uint length, out uint next, out error)) return -1;
                        DtNode* n = stack + depth - 1;
                        if (length == 4 && Is(name, "#address-cells"u8)) n->ChildAddressCells = Be32(value);
                        if (length == 4 && Is(name, "#size-cells"u8)) n->ChildSizeCells = Be32(value);
                        offset = next;
                        break;
                    }
                    case Nop:
                        offset += 4;
                        break;
                    case EndNode:
                        if (depth == 0) { error = "unbalanced FDT_END_NODE"; return -1; }
                        depth--;
                        offset += 4;
                        break;
                    case End:
                        if (depth != 0) { error = "FDT_END inside a node"; return -1; }
                        if (offset == 0) { error = "empty tree (no root node)"; return -1; }
                        return 0;
                    default:
                        error = "unknown structure token";
                        return -1;
                }
            }
        }

        // Decodes the FDT_PROP at `offset` with all bounds checked.
        bool PropertyAt(uint offset, out byte* name, out byte* value, out uint length, out uint next, out string error)
        {
            name = value = null;
            length = next = 0;
            error = null;
            if (_structSize - offset < 12) { error = "property header runs past the structure block"; return false; }
            length = Be32(_struct + offset + 4);
            uint nameOffset = Be32(_struct + offset + 8);
            if (length > _structSize - offset - 12) { error = "property value runs past the structure block"; return false; }
            if (nameOffset >= _stringsSize || StringLength(_strings + nameOffset, _stringsSize - nameOffset) < 0)
            { error = "property name outside the strings block"; return false; }
            name = _strings + nameOffset;
            value = _struct + offset + 12;
            next = offset + 12 + Align4(length);
            return true;
        }

        // Finds property `wanted` of a node the walker returned (its properties
        // were already validated by the walk).
        public bool Property(DtNode* node, System.ReadOnlySpan<byte> wanted, out byte* value, out int length)
        {
            value = null;
            length = 0;
            uint offset = node->PropertiesOffset;
            while (offset <= _structSize - 4)
            {
                uint token = Be32(_struct + offset);
                if (token == Nop) { offset += 4; continue; }
                if (token != Prop) return false;
                if (!PropertyAt(offset, out byte* name, out byte* v, out uint len, out uint next, out _)) return false;
                if (Is(name, wanted)) { value = v; length = (int)len; return true; }
                offset = next;
            }
            return false;
        }

        public bool HasProperty(DtNode* node, System.ReadOnlySpan<byte> wanted) => Property(node, wanted, out _, out _);

        // Entry `index` of the node's reg (cells from the parent, at most 2 each).
        public bool Reg(DtNode* node, int index, out ulong address, out ulong size)
        {
            address = size = 0;
            uint ac = node->AddressCells, sc = node->SizeCells;
            if (ac < 1 || ac > 2 || sc > 2 || index < 0) return false;
            if (!Property(node, "reg"u8, out byte* v, out int len)) return false;
            int entry = (int)(ac + sc) * 4;
            if ((index + 1) * entry > len) return false;
            byte* p = v + index * entry;
            address = ac == 2 ? Be64(p) : Be32(p);
            if (sc == 2) size = Be64(p + ac * 4);
            else if (sc == 1) size = Be32(p + ac * 4);
            return true;
        }

        public int RegCount(DtNode* node)
        {
            uint ac = node->AddressCells, sc = node->SizeCells;
            if (ac < 1 || ac > 2 || sc > 2) return 0;
            if (!Property(node, "reg"u8, out _, out int len)) return 0;
            return len / (int)((ac + sc) * 4);
        }

        // A 32- or 64-bit integer property (1 or 2 cells).
        public bool Integer(DtNode* node, System.ReadOnlySpan<byte> name, out ulong value)
        {
            value = 0;
            if (!Property(node, name, out byte* v, out int len)) return false;
            if (len == 4) { value = Be32(v); return true; }
            if (len == 8) { value = Be64(v); return true; }
            return false;
        }

        // True if the string-list property contains `wanted` exactly.
        public bool ListContains(DtNode* node, System.ReadOnlySpan<byte> property, System.ReadOnlySpan<byte> wanted)
        {
            if (!Property(node, property, out byte* v, out int len)) return false;
            int start = 0;
            for (int i = 0; i < len; i++)
            {
                if (v[i] != 0) continue;
                if (i - start == wanted.Length && Same(v + start, wanted)) return true;
                start = i + 1;
            }
            return false;
        }

        public bool IsCompatible(DtNode* node, System.ReadOnlySpan<byte> wanted) => ListContains(node, "compatible"u8, wanted);

        // True if some string in the node's compatible list starts with `prefix`.
        public bool CompatibleStarts(DtNode* node, System.ReadOnlySpan<byte> prefix)
        {
            if (!Property(node, "compatible"u8, out byte* v, out int len)) return false;
            int start = 0;
            for (int i = 0; i < len; i++)
            {
                if (v[i] != 0) continue;
                if (i - start >= prefix.Length && Same(v + start, prefix)) return true;
                start = i + 1;
            }
            return false;
        }

        // The property as a string without its NUL (length 0 if absent or not NUL-terminated).
        public byte* String(DtNode* node, System.ReadOnlySpan<byte> name, out int length)
        {
            length = 0;
            if (!Property(node, name, out byte* v, out int len) || len == 0 || v[len - 1] != 0) return null;
            length = StringLength(v, (uint)len);
            return v;
        }

        // Node name before any '@' equals `wanted`.
        public static bool NameIs(DtNode* node, System.ReadOnlySpan<byte> wanted)
        {
            int n = 0;
            while (n < node->NameLength && node->Name[n] != '@') n++;
            return n == wanted.Length && Same(node->Name, wanted);
        }

        // Node name before any '@' starts with `prefix` (e.g. "domU").
        public static bool NameStarts(DtNode* node, System.ReadOnlySpan<byte> prefix)
            => node->NameLength >= prefix.Length && Same(node->Name, prefix);

        static bool Same(byte* p, System.ReadOnlySpan<byte> s)
        {
            for (int i = 0; i < s.Length; i++) if (p[i] != s[i]) return false;
            return true;
        }

        static bool Is(byte* nulTerminated, System.ReadOnlySpan<byte> s)
            => Same(nulTerminated, s) && nulTerminated[s.Length] == 0;
    }
}

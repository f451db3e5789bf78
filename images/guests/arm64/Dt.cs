// Just enough of a flattened device tree reader for the guest: find a
// "compatible" string that starts with a prefix (the /hypervisor node's
// "xen,xen-X.Y", the GIC's "arm,gic-v3" / "arm,gic-400"), /chosen's
// bootargs (the guest's command line), or a property of the node with a given
// compatible (the PCI bridge's reg and ranges). Offsets and lengths are checked
// against the blob's totalsize; a malformed tree finds nothing.
namespace XenLite.Guest
{
    public static unsafe class Dt
    {
        const uint Magic = 0xD00DFEED, BeginNode = 1, EndNode = 2, Prop = 3, Nop = 4, End = 9;

        public static uint Be32(byte* p) => (uint)(p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]);

        public static bool Valid(byte* dtb) => dtb != null && Be32(dtb) == Magic && Be32(dtb + 4) < (1u << 20);

        // The first compatible string starting with `prefix`; its bytes after the prefix in `rest`.
        public static bool FindCompatible(byte* dtb, System.ReadOnlySpan<byte> prefix, out byte* rest, out int restLength)
        {
            rest = null;
            restLength = 0;
            if (!Valid(dtb)) return false;
            uint total = Be32(dtb + 4), structOff = Be32(dtb + 8), stringsOff = Be32(dtb + 12);
            uint p = structOff;
            while (p + 4 <= total)
            {
                uint token = Be32(dtb + p);
                p += 4;
                if (token == BeginNode)
                {
                    while (p < total && dtb[p] != 0) p++;
                    p = (p + 4) & ~3u;
                }
                else if (token == Prop)
                {
                    if (p + 8 > total) return false;
                    uint len = Be32(dtb + p), nameOff = Be32(dtb + p + 4);
                    byte* value = dtb + p + 8;
                    if (p + 8 + len > total) return false;
                    if (IsName(dtb + stringsOff + nameOff, "compatible"u8) && Match(value, (int)len, prefix, out rest, out restLength)) return true;
                    p = (p + 8 + len + 3) & ~3u;
                }
                else if (token == End) return false;
                else if (token != EndNode && token != Nop) return false;
            }
            return false;
        }

        /// <summary>/chosen's "bootargs" (NUL-terminated inside the blob), or null when there is none.</summary>
        public static byte* Bootargs(byte* dtb)
        {
            if (!Valid(dtb)) return null;
            uint total = Be32(dtb + 4), structOff = Be32(dtb + 8), stringsOff = Be32(dtb + 12);
            if (stringsOff >= total) return null;
            uint p = structOff;
            int depth = 0;
            bool inChosen = false;
            while (p + 4 <= total)
            {
                uint token = Be32(dtb + p);
                p += 4;
                if (token == BeginNode)
                {
                    depth++;
                    if (depth == 2) inChosen = IsName(dtb + p, "chosen"u8) || IsUnitName(dtb + p, "chosen"u8);
                    while (p < total && dtb[p] != 0) p++;
                    p = (p + 4) & ~3u;
                }
                else if (token == EndNode)
                {
                    if (depth == 2) inChosen = false;
                    depth--;
                }
                else if (token == Prop)
                {
                    if (p + 8 > total) return null;
                    uint len = Be32(dtb + p), nameOff = Be32(dtb + p + 4);
                    byte* value = dtb + p + 8;
                    if (p + 8 + len > total || nameOff >= total - stringsOff) return null;
                    if (depth == 2 && inChosen && IsName(dtb + stringsOff + nameOff, "bootargs"u8))
                        return len > 0 && value[len - 1] == 0 ? value : null;
                    p = (p + 8 + len + 3) & ~3u;
                }
                else if (token == End) return null;
                else if (token != Nop) return null;
            }
            return null;
        }

        static bool IsUnitName(byte* s, System.ReadOnlySpan<byte> name)
        {
            for (int i = 0; i < name.Length; i++) if (s[i] != name[i]) return false;
            return s[name.Length] == (byte)'@';
        }

        // Property `name` of the first node whose compatible list holds `compatible` exactly.
        public static bool FindProperty(byte* dtb, System.ReadOnlySpan<byte> compatible, System.ReadOnlySpan<byte> name, out byte* value, out int length)
        {
            value = null;
            length = 0;
            if (!Valid(dtb)) return false;
            uint total = Be32(dtb + 4), structOff = Be32(dtb + 8), stringsOff = Be32(dtb + 12);
            uint p = structOff, node = 0;
            while (p + 4 <= total)
            {
                uint token = Be32(dtb + p);
                p += 4;
                if (token == BeginNode)
                {
                    while (p < total && dtb[p] != 0) p++;
                    p = (p + 4) & ~3u;
                    node = p;
                }
                else if (token == Prop)
                {
                    if (p + 8 > total) return false;
                    uint len = Be32(dtb + p), nameOff = Be32(dtb + p + 4);
                    if (p + 8 + len > total) return false;
                    if (IsName(dtb + stringsOff + nameOff, "compatible"u8) && Match(dtb + p + 8, (int)len, compatible, out _, out int rest) && rest == 0)
                        return NodeProperty(dtb, node, total, stringsOff, name, out value, out length);
                    p = (p + 8 + len + 3) & ~3u;
                }
                else if (token == End) return false;
                else if (token != EndNode && token != Nop) return false;
            }
            return false;
        }

        // Property `name` among the properties that start at `p` (a node's first).
        static bool NodeProperty(byte* dtb, uint p, uint total, uint stringsOff, System.ReadOnlySpan<byte> name, out byte* value, out int length)
        {
            value = null;
            length = 0;
            while (p + 12 <= total)
            {
                uint token = Be32(dtb + p);
                if (token == Nop) { p += 4; continue; }
                if (token != Prop) return false;
                uint len = Be32(dtb + p + 4), nameOff = Be32(dtb + p + 8);
                if (p + 12 + len > total) return false;
                if (IsName(dtb + stringsOff + nameOff, name))
                {
                    value = dtb + p + 12;
                    length = (int)len;
                    return true;
                }
                p = (p + 12 + len + 3) & ~3u;
            }
            return false;
        }

        public static ulong Be64(byte* p) => (ulong)Be32(p) << 32 | Be32(p + 4);

        static bool IsName(byte* s, System.ReadOnlySpan<byte> name)
        {
            for (int i = 0; i < name.Length; i++) if (s[i] != name[i]) return false;
            return s[name.Length] == 0;
        }

        static bool Match(byte* value, int len, System.ReadOnlySpan<byte> prefix, out byte* rest, out int restLength)
        {
            int start = 0;
            while (start < len)
            {
                int end = start;
                while (end < len && value[end] != 0) end++;
                int k = 0;
                while (k < prefix.Length && start + k < end && value[start + k] == prefix[k]) k++;
                if (k == prefix.Length)
                {
                    rest = value + start + k;
                    restLength = end - start - k;
                    return true;
                }
                start = end + 1;
            }
            rest = null;
            restLength = 0;
            return false;
        }
    }
}

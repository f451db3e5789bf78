// The device tree the agent gives the domU (the toolstack writes a domU's tree on
// arm): a root and /chosen with bootargs "port=N" (and " argo=1" in the agent's
// argo mode). Flattened device tree v17, big-endian (Devicetree Specification,
// chapter 5).
namespace XenLite.Guest
{
    public static unsafe class TinyTree
    {
        const uint Magic = 0xD00DFEED, BeginNode = 1, EndNode = 2, Prop = 3, End = 9;
        const int Header = 40, RsvMap = 16;

        /// <summary>Writes the tree at <paramref name="t"/>; its size in bytes.</summary>
        public static int Write(byte* t, uint port, bool argo)
        {
            byte* args = stackalloc byte[32];
            Text.Put(args, "port="u8);
            int n = 5;
            byte* digits = stackalloc byte[10];
            int k = 0;
            do { digits[k++] = (byte)('0' + port % 10); port /= 10; } while (port != 0);
            while (k > 0) args[n++] = digits[--k];
            if (argo)
            {
                Text.Put(args + n, " argo=1"u8);
                n += 7;
            }
            args[n++] = 0;

            int at = Header + RsvMap;
            for (int i = 0; i < at; i++) t[i] = 0;
            int structStart = at;
            Be(t, ref at, BeginNode); Be(t, ref at, 0);                       // "" (root)
            Be(t, ref at, BeginNode); Name(t, ref at, "chosen"u8);
            Be(t, ref at, Prop); Be(t, ref at, (uint)n); Be(t, ref at, 0);    // bootargs at string offset 0
            for (int i = 0; i < n; i++) t[at++] = args[i];
            while ((at & 3) != 0) t[at++] = 0;
            Be(t, ref at, EndNode); Be(t, ref at, EndNode); Be(t, ref at, End);
            int structSize = at - structStart;
            int stringsStart = at;
            Text.Put(t + at, "bootargs"u8);
            at += 9;
            int total = (at + 3) & ~3;
            while (at < total) t[at++] = 0;

            int h = 0;
            Be(t, ref h, Magic); Be(t, ref h, (uint)total); Be(t, ref h, (uint)structStart); Be(t, ref h, (uint)stringsStart);
            Be(t, ref h, Header); Be(t, ref h, 17); Be(t, ref h, 16); Be(t, ref h, 0);
            Be(t, ref h, (uint)(total - stringsStart)); Be(t, ref h, (uint)structSize);
            return total;
        }

        static void Be(byte* t, ref int at, uint v)
        {
            t[at] = (byte)(v >> 24); t[at + 1] = (byte)(v >> 16); t[at + 2] = (byte)(v >> 8); t[at + 3] = (byte)v;
            at += 4;
        }

        static void Name(byte* t, ref int at, System.ReadOnlySpan<byte> s)
        {
            for (int i = 0; i < s.Length; i++) t[at++] = s[i];
            t[at++] = 0;
            while ((at & 3) != 0) t[at++] = 0;
        }
    }
}

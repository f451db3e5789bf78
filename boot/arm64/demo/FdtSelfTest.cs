// `xenlite.selftest=fdt`: the device-tree reader against a small tree built
// here, intact and then damaged in each way firmware could damage it. Every
// damaged tree must give an error string (the console message Boot.cs
// prints), never a fault or a hang.
using XenLite.Boot;

namespace XenLite
{
    public static unsafe class FdtSelfTest
    {
        const int Size = 512;
        const uint BeginNode = 1, EndNode = 2, Prop = 3, End = 9;
        // Offsets inside the built tree (filled in by Build).
        static uint s_structOff, s_firstProp, s_lastEndNode, s_end, s_memoryName, s_stringsOff;

        static delegate*<string, bool, void> s_report;
        static int s_failures;

        static void Check(string name, bool ok)
        {
            if (!ok) s_failures++;
            s_report(name, ok);
        }

        public static int Run(delegate*<string, bool, void> report)
        {
            s_report = report;
            s_failures = 0;
            byte* b = (byte*)XenLite.Runtime.Allocator.AllocPages(1);

            Build(b);
            string e = Fdt.Open(b, Size, out Fdt fdt);
            EarlyInfo info = default;
            if ((object)e == null) e = EarlyScan.Run(&fdt, &info);
            Check("fdt.intact", (object)e == null && info.MemCount == 1 && info.MemBase[0] == 0x40000000 && info.MemSize[0] == 0x1000000);

            Check("fdt.null", Fails(null, Size, "no device tree pointer"));
            Build(b); Check("fdt.misaligned", Fails(b + 4, Size, "device tree pointer not 8-byte aligned"));
            Build(b); Put(b, 0, 0xD00DFEEE); Check("fdt.bad-magic", Fails(b, Size, "bad magic (not a flattened device tree)"));
            Build(b); Check("fdt.past-mapped-memory", Fails(b, 100, "device tree runs past mapped memory"));
            Build(b); Put(b, 4, Fdt.MaxSize + 8); Check("fdt.too-big", Fails(b, Fdt.MaxSize + 64, "total size out of range"));
            Build(b); Put(b, 20, 15); Check("fdt.old-version", Fails(b, Size, "unsupported version (need 16 or 17)"));
            Build(b); Put(b, 8, 0x10000); Check("fdt.struct-outside", Fails(b, Size, "structure block outside the blob"));
            Build(b); Put(b, 36, 0xFFFFFF00); Check("fdt.struct-size-overflow", Fails(b, Size, "structure block outside the blob"));
            Build(b); Put(b, 32, 0x1000); Check("fdt.strings-outside", Fails(b, Size, "strings block outside the blob"));
            Build(b); Put(b, 16, 41); Check("fdt.rsvmap-misaligned", Fails(b, Size, "reservation map outside the blob"));
            Build(b); Put(b, s_firstProp, 7); Check("fdt.unknown-token", Fails(b, Size, "unknown structure token"));
            Build(b); Put(b, s_firstProp + 4, 0x7FFFFFF0); Check("fdt.value-overflow", Fails(b, Size, "property value runs past the structure block"));
            Build(b); Put(b, s_firstProp + 8, 0x00FFFFF0); Check("fdt.name-outside-strings", Fails(b, Size, "property name outside the strings block"));
            Build(b); Put(b, s_end, 4); Check("fdt.no-end-token", Fails(b, Size, "structure block ends without FDT_END"));
            Build(b); Put(b, s_lastEndNode, End); Check("fdt.end-inside-node", Fails(b, Size, "FDT_END inside a node"));
            Build(b); Put(b, s_end, EndNode); Check("fdt.extra-end-node", Fails(b, Size, "unbalanced FDT_END_NODE"));
            Build(b); Put(b, s_structOff, End); Check("fdt.empty", Fails(b, Size, "empty tree (no root node)"));
            Build(b); Put(b, 36, s_memoryName - s_structOff + 3); Check("fdt.name-unterminated", Fails(b, Size, "node name runs past the structure block"));
            Build(b); b[s_memoryName] = (byte)'x'; b[s_stringsOff + 31] = (byte)'x';   // "xemory@…", "xevice_type"
            Check("fdt.no-memory", Fails(b, Size, "no /memory node with a usable reg"));

            XenLite.Runtime.Allocator.FreePages(b, 1);
            return s_failures;
        }

        // The tree is refused with exactly the `expected` message.
        static bool Fails(byte* blob, ulong available, string expected)
        {
            string e = Fdt.Open(blob, available, out Fdt fdt);
            EarlyInfo info = default;
            if ((object)e == null) e = EarlyScan.Run(&fdt, &info);
            return (object)e != null && e == expected;
        }

        static void Put(byte* b, uint offset, uint value)
        {
            b[offset] = (byte)(value >> 24);
            b[offset + 1] = (byte)(value >> 16);
            b[offset + 2] = (byte)(value >> 8);
            b[offset + 3] = (byte)value;
        }

        // / { #address-cells = <2>; #size-cells = <1>;
        //     memory@40000000 { reg = <0 0x40000000 0x1000000>; device_type = "memory"; };
        //     chosen { bootargs = "a=b"; }; };
        static void Build(byte* b)
        {
            for (int i = 0; i < Size; i++) b[i] = 0;
            // strings: #address-cells(0) #size-cells(15) reg(27) device_type(31) bootargs(43)
            ReadOnlySpanWriter.Bytes(b + 400, "#address-cells\0#size-cells\0reg\0device_type\0bootargs\0"u8);
            uint p = 56;   // header (40) + one empty reservation entry (16)
            s_structOff = p;
            Put(b, p, BeginNode); p += 8;                       // root: empty name, padded
            s_firstProp = p;
            p = Property(b, p, 0, 4); Put(b, p - 4, 2);
            p = Property(b, p, 15, 4); Put(b, p - 4, 1);
            Put(b, p, BeginNode); p += 4;
            s_memoryName = p;
            ReadOnlySpanWriter.Bytes(b + p, "memory@40000000\0"u8); p += 16;
            p = Property(b, p, 27, 12); Put(b, p - 8, 0x40000000); Put(b, p - 4, 0x1000000);
            p = Property(b, p, 31, 7); ReadOnlySpanWriter.Bytes(b + p - 8, "memory\0"u8);
            Put(b, p, EndNode); p += 4;
            Put(b, p, BeginNode); p += 4;
            ReadOnlySpanWriter.Bytes(b + p, "chosen\0"u8); p += 8;
            p = Property(b, p, 43, 4); ReadOnlySpanWriter.Bytes(b + p - 4, "a=b\0"u8);
            Put(b, p, EndNode); p += 4;
            s_lastEndNode = p;
            Put(b, p, EndNode); p += 4;
            s_end = p;
            Put(b, p, End); p += 4;
            s_stringsOff = 400;
            Put(b, 0, Fdt.Magic);
            Put(b, 4, Size);
            Put(b, 8, s_structOff);
            Put(b, 12, 400);                                    // strings
            Put(b, 16, 40);                                     // reservation map
            Put(b, 20, 17);
            Put(b, 24, 16);
            Put(b, 32, 53);                                     // strings size
            Put(b, 36, p - s_structOff);                        // struct size
        }

        // Writes an FDT_PROP header; returns the offset after the (padded) value.
        static uint Property(byte* b, uint p, uint nameOffset, uint length)
        {
            Put(b, p, Prop);
            Put(b, p + 4, length);
            Put(b, p + 8, nameOffset);
            return p + 12 + ((length + 3) & ~3u);
        }
    }

    static unsafe class ReadOnlySpanWriter
    {
        public static void Bytes(byte* to, System.ReadOnlySpan<byte> s)
        {
            for (int i = 0; i < s.Length; i++) to[i] = s[i];
        }
    }
}

// Compiled into the hypervisor image by `xenlite image build` (not into the builder library):
// finds the modules the builder embedded (the blob images/Builder/Embed/ModuleBlob.cs writes,
// placed by boot/build-image.sh --embed between xl_embedded_start and + xl_embedded_size),
// checks each one's CRC-32 and refuses a damaged one with a console line. Freestanding
// subset only (hv/ rules): no exceptions, no strings built at run time.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace XenLite.Image
{
    /// <summary>One embedded module that passed its checksum.</summary>
    public unsafe struct EmbeddedModule
    {
        public uint Kind;
        public bool Privileged;
        public byte* Data;
        public ulong Size;
        public uint GuestKind;
        public uint MemoryMiB;
        public uint Vcpus;
        /// <summary>"name cmdline": the name, one space, the guest's command line (Multiboot's module string shape).</summary>
        public byte* String;
        public int NameLength;
        public int StringLength;
        public ulong MemoryBase;
    }

    public static unsafe class EmbeddedModules
    {
        // Kinds and layout: see images/Builder/Embed/ModuleBlob.cs.
        public const uint KindGuest = 1, KindBootPolicy = 2, KindCommandLine = 3, KindManifest = 4;
        public const uint GuestPvh = 1, GuestPv = 2, GuestArm = 3;
        const int HeaderSize = 32, EntrySize = 64;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "xl_embedded_start")] static extern byte* BlobStart();
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "xl_embedded_size")] static extern ulong BlobSize();

        /// <summary>Guests that passed their checksum, in config order.</summary>
        public static EmbeddedModule[] Guests = new EmbeddedModule[0];
        /// <summary>The embedded Flask policy (null when none or damaged); handed to the XSM plugin by GeneratedPlugins.Init.</summary>
        public static byte* BootPolicy;
        public static ulong BootPolicySize;
        /// <summary>Hypervisor command-line defaults (the loader's command line is appended after them).</summary>
        public static byte* CommandLine;
        public static int CommandLineLength;
        /// <summary>Modules refused for a bad checksum or a bad entry.</summary>
        public static int Refused;

        /// <summary>Reads and verifies the blob; reports through <paramref name="put"/> (the serial console).</summary>
        public static void Load(delegate*<byte, void> put)
        {
            byte* blob = BlobStart();
            ulong size = BlobSize();
            if (size < HeaderSize) return;
            if (!IsMagic(blob))
            {
                Say(put, "(XEN) embedded modules: bad header, none used\n");
                Refused++;
                return;
            }
            uint count = *(uint*)(blob + 12);
            if ((ulong)HeaderSize + (ulong)count * EntrySize > size)
            {
                Say(put, "(XEN) embedded modules: truncated table, none used\n");
                Refused++;
                return;
            }
            int guests = 0;
            for (uint i = 0; i < count; i++)
                if (*(uint*)(blob + HeaderSize + i * EntrySize) == KindGuest) guests++;
            var list = new EmbeddedModule[guests];
            int g = 0;
            for (uint i = 0; i < count; i++)
            {
                byte* e = blob + HeaderSize + i * EntrySize;
                EmbeddedModule m;
                m.Kind = *(uint*)e;
                m.Privileged = (*(uint*)(e + 4) & 1) != 0;
                ulong offset = *(ulong*)(e + 8);
                m.Size = *(ulong*)(e + 16);
                uint crc = *(uint*)(e + 24);
                m.GuestKind = *(uint*)(e + 28);
                m.MemoryMiB = *(uint*)(e + 32);
                m.Vcpus = *(uint*)(e + 36);
                uint str = *(uint*)(e + 40);
                m.NameLength = (int)*(uint*)(e + 44);
                m.StringLength = m.NameLength + 1 + (int)*(uint*)(e + 48);
                m.MemoryBase = *(ulong*)(e + 56);
                m.Data = blob + offset;
                m.String = blob + str;
                bool inside = offset <= size && m.Size <= size - offset && (ulong)str + (ulong)m.StringLength <= size;
                if (!inside || Crc32(m.Data, m.Size) != crc)
                {
                    Say(put, "(XEN) embedded module ");
                    PutDec(put, i);
                    if (inside)
                    {
                        Say(put, " '");
                        for (int k = 0; k < m.NameLength; k++) put(m.String[k]);
                        Say(put, "': checksum mismatch (stored ");
                        PutHex(put, crc);
                        Say(put, ", computed ");
                        PutHex(put, Crc32(m.Data, m.Size));
                        Say(put, "): refused\n");
                    }
                    else Say(put, ": entry points outside the blob: refused\n");
                    Refused++;
                    continue;
                }
                switch (m.Kind)
                {
                    case KindGuest: list[g++] = m; break;
                    case KindBootPolicy: BootPolicy = m.Data; BootPolicySize = m.Size; break;
                    case KindCommandLine: CommandLine = m.Data; CommandLineLength = (int)m.Size; break;
                }
            }
            if (g != guests)
            {
                var intact = new EmbeddedModule[g];
                for (int k = 0; k < g; k++) intact[k] = list[k];
                list = intact;
            }
            Guests = list;
        }

        /// <summary>The hypervisor command line: the embedded defaults, a space, then <paramref name="loader"/> (later options win).</summary>
        public static byte[] CommandLineWith(System.ReadOnlySpan<byte> loader)
        {
            int n = CommandLineLength;
            var line = new byte[n + (n > 0 && loader.Length > 0 ? 1 : 0) + loader.Length];
            for (int i = 0; i < n; i++) line[i] = CommandLine[i];
            int at = n;
            if (n > 0 && loader.Length > 0) line[at++] = (byte)' ';
            for (int i = 0; i < loader.Length; i++) line[at + i] = loader[i];
            return line;
        }

        static bool IsMagic(byte* p)
        {
            System.ReadOnlySpan<byte> magic = "XLMODS1\0"u8;
            for (int i = 0; i < 8; i++) if (p[i] != magic[i]) return false;
            return *(uint*)(p + 8) == 1;
        }

        /// <summary>CRC-32 (IEEE, reflected), bit by bit: modules are checked once at boot.</summary>
        public static uint Crc32(byte* p, ulong n)
        {
            uint c = 0xFFFFFFFFu;
            for (ulong i = 0; i < n; i++)
            {
                c ^= p[i];
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            return c ^ 0xFFFFFFFFu;
        }

        static void Say(delegate*<byte, void> put, string s)
        {
            for (int i = 0; i < s.Length; i++) put((byte)s[i]);
        }

        static void PutDec(delegate*<byte, void> put, uint v)
        {
            if (v >= 10) PutDec(put, v / 10);
            put((byte)('0' + v % 10));
        }

        static void PutHex(delegate*<byte, void> put, uint v)
        {
            Say(put, "0x");
            for (int s = 28; s >= 0; s -= 4) put((byte)"0123456789abcdef"[(int)((v >> s) & 0xF)]);
        }
    }
}

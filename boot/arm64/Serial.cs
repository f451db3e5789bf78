// The PL011 UART named by the device tree (QEMU virt: 0x09000000, also the
// default until the tree is read): the console. Polled output, no allocation,
// safe from the crash path. Same surface as the x86_64 Serial class.
namespace XenLite.Boot
{
    public static unsafe class Serial
    {
        public const ulong QemuVirtBase = 0x09000000;
        const ulong DR = 0x00, FR = 0x18, CR = 0x30;
        const uint FrTxFull = 1 << 5;
        const uint CrEnable = 1 << 0, CrTx = 1 << 8, CrRx = 1 << 9;

        // Plain static (not a GC static, no initializer): usable before runtime
        // start-up. 0 = not set yet: the QEMU virt default.
        static ulong s_set;

        public static ulong Base => s_set != 0 ? s_set : QemuVirtBase;

        // Uses the UART at `uartBase` as firmware left it (QEMU ignores the
        // baud rate); only makes sure it is enabled for transmit.
        public static void Init(ulong uartBase)
        {
            s_set = uartBase;
            uint cr = Cpu.Read32(Base + CR);
            if ((cr & (CrEnable | CrTx)) != (CrEnable | CrTx))
                Cpu.Write32(Base + CR, cr | CrEnable | CrTx | CrRx);
        }

        public static void Write(byte b)
        {
            // Bounded wait, so a missing UART cannot hang the crash path.
            ulong b0 = Base;
            for (int spin = 0; spin < 100000 && (Cpu.Read32(b0 + FR) & FrTxFull) != 0; spin++) { }
            Cpu.Write32(b0 + DR, b);
        }

        public static void Write(char c) => ByteFormat.Char(&Write, c);

        public static void Write(string s) => ByteFormat.Text(&Write, s);

        public static void Write(char* s, int length) => ByteFormat.Text(&Write, s, length);

        public static void Write(System.ReadOnlySpan<byte> s) => ByteFormat.Bytes(&Write, s);

        public static void Write(byte* s, int length) => ByteFormat.Bytes(&Write, s, length);

        // NUL-terminated ASCII, at most `max` bytes.
        public static void WriteCString(byte* s, int max = 4096) => ByteFormat.CString(&Write, s, max);

        public static void WriteLine() => ByteFormat.Line(&Write);

        public static void WriteLine(string s) { Write(s); WriteLine(); }

        // 0x-prefixed, zero-padded to `digits` hex digits.
        public static void WriteHex(ulong value, int digits = 16) => ByteFormat.Hex(&Write, value, digits);

        public static void WriteDec(ulong value) => ByteFormat.Dec(&Write, value);

        public static void WriteDec(long value) => ByteFormat.Dec(&Write, value);
    }
}

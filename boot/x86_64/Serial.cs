// COM1 (0x3F8) at 115200 8N1: the console. Polled output, no allocation, safe
// to use from the crash path before or after runtime start-up.
namespace XenLite.Boot
{
    public static unsafe class Serial
    {
        const ushort Port = 0x3F8;

        public static void Init()
        {
            Cpu.OutB(Port + 1, 0x00);   // no interrupts
            Cpu.OutB(Port + 3, 0x80);   // DLAB: set divisor
            Cpu.OutB(Port + 0, 0x01);   // 115200 = 115200 / 1
            Cpu.OutB(Port + 1, 0x00);
            Cpu.OutB(Port + 3, 0x03);   // 8 data bits, no parity, 1 stop bit
            Cpu.OutB(Port + 2, 0xC7);   // FIFO on, cleared, 14-byte threshold
            Cpu.OutB(Port + 4, 0x03);   // DTR | RTS
        }

        public static void Write(byte b)
        {
            // Wait for transmit-holding-register empty (Bochs drops bytes otherwise),
            // with a bound so a missing UART cannot hang the crash path.
            for (int spin = 0; spin < 100000 && (Cpu.InB(Port + 5) & 0x20) == 0; spin++) Cpu.Pause();
            Cpu.OutB(Port, b);
        }

        public static void Write(char c) => ByteFormat.Char(&Write, c);

        public static void Write(string s) => ByteFormat.Text(&Write, s);

        public static void Write(char* s, int length) => ByteFormat.Text(&Write, s, length);

        public static void Write(System.ReadOnlySpan<byte> s) => ByteFormat.Bytes(&Write, s);

        public static void Write(byte* s, int length) => ByteFormat.Bytes(&Write, s, length);

        // NUL-terminated ASCII (Multiboot strings), at most `max` bytes.
        public static void WriteCString(byte* s, int max = 4096) => ByteFormat.CString(&Write, s, max);

        public static void WriteLine() => ByteFormat.Line(&Write);

        public static void WriteLine(string s) { Write(s); WriteLine(); }

        // 0x-prefixed, zero-padded to `digits` hex digits.
        public static void WriteHex(ulong value, int digits = 16) => ByteFormat.Hex(&Write, value, digits);

        public static void WriteDec(ulong value) => ByteFormat.Dec(&Write, value);

        public static void WriteDec(long value) => ByteFormat.Dec(&Write, value);
    }
}

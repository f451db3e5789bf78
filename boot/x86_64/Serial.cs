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

        public static void Write(char c) => Write(c < 0x80 ? (byte)c : (byte)'?');

        public static void Write(string s)
        {
            if ((object)s == null) return;
            for (int i = 0; i < s.Length; i++) Write(s[i]);
        }

        public static void Write(char* s, int length)
        {
            for (int i = 0; i < length; i++) Write(s[i]);
        }

        public static void Write(System.ReadOnlySpan<byte> s)
        {
            for (int i = 0; i < s.Length; i++) Write(s[i]);
        }

        // NUL-terminated ASCII (Multiboot strings), at most `max` bytes.
        public static void WriteCString(byte* s, int max = 4096)
        {
            if (s == null) return;
            for (int i = 0; i < max && s[i] != 0; i++) Write(s[i]);
        }

        public static void WriteLine() { Write((byte)'\r'); Write((byte)'\n'); }

        public static void WriteLine(string s) { Write(s); WriteLine(); }

        // 0x-prefixed, zero-padded to `digits` hex digits.
        public static void WriteHex(ulong value, int digits = 16)
        {
            Write((byte)'0'); Write((byte)'x');
            for (int i = digits - 1; i >= 0; i--)
            {
                int d = (int)((value >> (i * 4)) & 0xF);
                Write((byte)(d < 10 ? '0' + d : 'a' + d - 10));
            }
        }

        public static void WriteDec(ulong value)
        {
            byte* buf = stackalloc byte[20];
            int n = 0;
            do { buf[n++] = (byte)('0' + value % 10); value /= 10; } while (value != 0);
            while (n > 0) Write(buf[--n]);
        }

        public static void WriteDec(long value)
        {
            if (value < 0) { Write((byte)'-'); WriteDec((ulong)(-value)); }
            else WriteDec((ulong)value);
        }
    }
}

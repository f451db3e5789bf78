// Text and numbers written one byte at a time to any byte sink (a console's
// Write(byte)), so both architectures' consoles print exactly the same bytes.
// No allocation: safe from the crash path, before or after runtime start-up.
namespace XenLite.Boot
{
    public static unsafe class ByteFormat
    {
        // Non-ASCII characters print as '?': the consoles are 7-bit.
        public static void Char(delegate*<byte, void> put, char c) => put(c < 0x80 ? (byte)c : (byte)'?');

        public static void Text(delegate*<byte, void> put, string s)
        {
            if ((object)s == null) return;
            for (int i = 0; i < s.Length; i++) Char(put, s[i]);
        }

        public static void Text(delegate*<byte, void> put, char* s, int length)
        {
            for (int i = 0; i < length; i++) Char(put, s[i]);
        }

        public static void Bytes(delegate*<byte, void> put, System.ReadOnlySpan<byte> s)
        {
            for (int i = 0; i < s.Length; i++) put(s[i]);
        }

        public static void Bytes(delegate*<byte, void> put, byte* s, int length)
        {
            for (int i = 0; i < length; i++) put(s[i]);
        }

        // NUL-terminated ASCII, at most `max` bytes.
        public static void CString(delegate*<byte, void> put, byte* s, int max)
        {
            if (s == null) return;
            for (int i = 0; i < max && s[i] != 0; i++) put(s[i]);
        }

        public static void Line(delegate*<byte, void> put) { put((byte)'\r'); put((byte)'\n'); }

        // 0x-prefixed, zero-padded to `digits` hex digits.
        public static void Hex(delegate*<byte, void> put, ulong value, int digits)
        {
            put((byte)'0'); put((byte)'x');
            for (int i = digits - 1; i >= 0; i--)
            {
                int d = (int)((value >> (i * 4)) & 0xF);
                put((byte)(d < 10 ? '0' + d : 'a' + d - 10));
            }
        }

        public static void Dec(delegate*<byte, void> put, ulong value)
        {
            byte* buf = stackalloc byte[20];
            int n = 0;
            do { buf[n++] = (byte)('0' + value % 10); value /= 10; } while (value != 0);
            while (n > 0) put(buf[--n]);
        }

        public static void Dec(delegate*<byte, void> put, long value)
        {
            if (value < 0) { put((byte)'-'); Dec(put, (ulong)(-value)); }
            else Dec(put, (ulong)value);
        }
    }
}

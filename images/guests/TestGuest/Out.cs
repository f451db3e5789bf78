// One output line at a time, built in a fixed buffer (the runtime has no
// string formatting). A line goes to Xen's console through console_io once Xen
// is found; before that, or if console_io refuses (a domU on a release build
// gets -EPERM), it goes to the arch's debug output instead (x86_64: port 0xe9,
// QEMU -debugcon stdio; arm64: the vpl011 UART), so each line appears once.

namespace XenLite.Guest
{
    public static unsafe class Out
    {
        const int Capacity = 240;

        // A plain (non-GC) static: usable before the runtime starts, and from the crash path.
        struct LineBuffer { public fixed byte Bytes[Capacity + 1]; }
        static LineBuffer s_buffer;
        static int s_length;

        // True while lines go through HYPERVISOR_console_io.
        public static bool ViaXen;

        public static void Add(string s)
        {
            for (int i = 0; i < s.Length; i++) Add((byte)(s[i] < 0x80 ? s[i] : '?'));
        }

        public static void Add(byte b)
        {
            if (s_length < Capacity) s_buffer.Bytes[s_length++] = b;
        }

        // Bytes of a guest buffer up to its NUL, at most max.
        public static void AddCString(byte* s, int max)
        {
            for (int i = 0; i < max && s[i] != 0; i++) Add(s[i] >= 0x20 && s[i] < 0x7F ? s[i] : (byte)'?');
        }

        public static void AddDec(long value)
        {
            ulong v = value < 0 ? (ulong)(-value) : (ulong)value;
            if (value < 0) Add((byte)'-');
            byte* digits = stackalloc byte[20];
            int n = 0;
            do { digits[n++] = (byte)('0' + v % 10); v /= 10; } while (v != 0);
            while (n > 0) Add(digits[--n]);
        }

        public static void AddHex(ulong value)
        {
            Add("0x");
            int shift = 60;
            while (shift > 0 && (value >> shift) == 0) shift -= 4;
            for (; shift >= 0; shift -= 4)
            {
                int d = (int)((value >> shift) & 0xF);
                Add((byte)(d < 10 ? '0' + d : 'a' + d - 10));
            }
        }

        public static void Line(string s) { Add(s); End(); }

        public static void End()
        {
            s_buffer.Bytes[s_length++] = (byte)'\n';
            fixed (byte* line = s_buffer.Bytes) Emit(line);
            s_length = 0;
        }

        static void Emit(byte* line)
        {
            if (ViaXen)
            {
                long rc = Xen.Call(Hc.ConsoleIo, ConsoleIo.Write, (ulong)s_length, (ulong)line);
                if (rc != 0) ViaXen = false;
            }
            if (!ViaXen) Arch.DebugWrite(line, s_length);
        }
    }
}

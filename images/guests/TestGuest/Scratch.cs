// Guest memory the tests hand to Xen: two pages, A and B, refilled with a
// marker byte before each use so a test can tell which bytes Xen wrote. Plus
// addresses Xen must refuse with -EFAULT.
namespace XenLite.Guest
{
    public static unsafe class Scratch
    {
        public const byte Marker = 0xA5;
        static byte* s_pages;

        public static void Init() => s_pages = (byte*)XenLite.Runtime.Allocator.AllocPages(2);

        public static byte* A(int size) => Fill(s_pages, size);
        public static byte* B(int size) => Fill(s_pages + 4096, size);

        static byte* Fill(byte* p, int size)
        {
            for (int i = 0; i < size; i++) p[i] = Marker;
            return p;
        }

        // Index of the first NUL in p[0..size), or -1.
        public static int NulAt(byte* p, int size)
        {
            for (int i = 0; i < size; i++) if (p[i] == 0) return i;
            return -1;
        }

        public static bool Same(byte* a, byte* b, int length)
        {
            for (int i = 0; i < length; i++) if (a[i] != b[i]) return false;
            return true;
        }

        public static bool Contains(byte* p, int length, System.ReadOnlySpan<byte> needle)
        {
            for (int i = 0; i + needle.Length <= length; i++)
            {
                int k = 0;
                while (k < needle.Length && p[i + k] == needle[k]) k++;
                if (k == needle.Length) return true;
            }
            return false;
        }
    }

    // Addresses with no guest RAM behind them (the guest has tens of MiB).
    public static class BadAddress
    {
        public const ulong BeyondRam = 0xC000_0000;        // identity-mapped by our page tables
        public const ulong Unmapped = 0x1_0000_0000;       // above the 4 GiB our page tables map
        public const ulong NonCanonical = 0x8000_0000_0000_0000;
    }
}

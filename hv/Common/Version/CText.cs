using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.XenVersion;

/// <summary>
/// Build strings as C sees them: text up to the first NUL, one byte per character, copied
/// into fixed-size zeroed fields (Xen's safe_strcpy: truncated, always NUL-terminated).
/// </summary>
internal static unsafe class CText
{
    public static int Length(string s)
    {
        if (s == null) return 0;
        for (int i = 0; i < s.Length; i++)
            if (s[i] == '\0') return i;
        return s.Length;
    }

    /// <summary>Zeroes a field of <paramref name="size"/> bytes and copies as much of <paramref name="s"/> as leaves room for the NUL.</summary>
    public static void Fill(byte* field, int size, string s)
    {
        for (int i = 0; i < size; i++) field[i] = 0;
        int n = Length(s);
        if (n > size - 1) n = size - 1;
        for (int i = 0; i < n; i++) field[i] = (byte)s[i];
    }

    /// <summary>Writes <paramref name="s"/> as a zero-padded field of <paramref name="size"/> bytes (at most 1024) to the guest.</summary>
    public static long CopyField(Vcpu v, ulong addr, string s, int size)
    {
        byte* field = stackalloc byte[1024];
        Fill(field, size, s);
        return GuestMemory.CopyTo(v, addr, field, (ulong)size) != 0 ? -Abi.Errno.EFAULT : 0;
    }

    /// <summary>Writes the first <paramref name="len"/> characters of <paramref name="s"/> to the guest, no terminator.</summary>
    public static int CopyText(Vcpu v, ulong addr, string s, int len)
    {
        byte* chunk = stackalloc byte[256];
        for (int done = 0; done < len;)
        {
            int n = len - done < 256 ? len - done : 256;
            for (int i = 0; i < n; i++) chunk[i] = (byte)s[done + i];
            int rc = GuestMemory.CopyTo(v, addr + (ulong)done, chunk, (ulong)n);
            if (rc != 0) return rc;
            done += n;
        }
        return 0;
    }
}

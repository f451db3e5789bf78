namespace XenLite.Plugin.Kexec;

/// <summary>
/// `crashkernel=<size>[KMGT]` on the hypervisor command line (no suffix: KiB, as Xen's
/// parse_size_and_unit). Xen's placement forms (`@start`, `<limit`, size ranges) are not
/// offered: the area goes wherever contiguous free memory is.
/// </summary>
public static class CrashKernelOption
{
    const string Key = "crashkernel=";

    /// <summary>The requested size in bytes, or 0 when absent or malformed.</summary>
    public static ulong Parse(string cmdline)
    {
        if (cmdline == null) return 0;
        for (int i = 0; i + Key.Length <= cmdline.Length; i++)
        {
            if ((i != 0 && cmdline[i - 1] != ' ') || !StartsWithKey(cmdline, i)) continue;
            return ParseSize(cmdline, i + Key.Length);
        }
        return 0;
    }

    static bool StartsWithKey(string s, int at)
    {
        for (int j = 0; j < Key.Length; j++)
            if (s[at + j] != Key[j]) return false;
        return true;
    }

    static ulong ParseSize(string s, int i)
    {
        ulong n = 0;
        int start = i;
        while (i < s.Length && s[i] >= '0' && s[i] <= '9')
        {
            n = n * 10 + (ulong)(s[i] - '0');
            i++;
        }
        if (i == start) return 0;
        int shift = 10;
        if (i < s.Length)
        {
            switch (s[i])
            {
                case 'T': case 't': shift = 40; i++; break;
                case 'G': case 'g': shift = 30; i++; break;
                case 'M': case 'm': shift = 20; i++; break;
                case 'K': case 'k': shift = 10; i++; break;
                case 'B': case 'b': shift = 0; i++; break;
            }
        }
        if (i < s.Length && s[i] != ' ') return 0;
        return n << shift;
    }
}

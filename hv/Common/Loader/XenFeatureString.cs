namespace XenLite.Hv.Common.Loader;

/// <summary>
/// Parses the FEATURES note: names joined by '|', a leading '!' marks a feature the kernel
/// requires. Unknown names are ignored unless required (libelf's elf_xen_parse_features).
/// </summary>
public static unsafe class XenFeatureString
{
    // The names libelf knows, indexed by XENFEAT_* bit.
    static readonly string[] Names =
    {
        "writable_page_tables", "writable_descriptor_tables", "auto_translated_physmap",
        "supervisor_mode_kernel", "pae_pgdir_above_4gb", null, null, null,
        "hvm_callback_vector", null, null, "dom0",
    };

    /// <summary>False when a required feature is unknown.</summary>
    public static bool Parse(byte* s, uint length, ref uint supported, ref uint required)
    {
        uint pos = 0;
        while (pos < length)
        {
            uint end = pos;
            while (end < length && s[end] != (byte)'|') end++;
            bool isRequired = end > pos && s[pos] == (byte)'!';
            uint nameStart = isRequired ? pos + 1 : pos;
            int bit = Lookup(s + nameStart, end - nameStart);
            if (bit >= 0)
            {
                supported |= 1u << bit;
                if (isRequired) required |= 1u << bit;
            }
            else if (isRequired)
            {
                return false;
            }
            pos = end + 1;
        }
        return true;
    }

    static int Lookup(byte* name, uint length)
    {
        for (int bit = 0; bit < Names.Length; bit++)
        {
            string n = Names[bit];
            if (n != null && Equals(name, length, n)) return bit;
        }
        return -1;
    }

    static bool Equals(byte* name, uint length, string s)
    {
        if ((uint)s.Length != length) return false;
        for (int i = 0; i < s.Length; i++)
            if (name[i] != (byte)s[i]) return false;
        return true;
    }
}

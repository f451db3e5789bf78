namespace XenLite.Hv.Common.Vcpus;

/// <summary>Looks for a boolean option in the hypervisor command line (space-separated words).</summary>
public static class CommandLine
{
    public static bool Has(string line, string option)
    {
        int n = option.Length;
        for (int start = 0; start + n <= line.Length; start++)
        {
            if (start > 0 && line[start - 1] != ' ') continue;
            int i = 0;
            while (i < n && line[start + i] == option[i]) i++;
            if (i == n && (start + n == line.Length || line[start + n] == ' ')) return true;
        }
        return false;
    }
}

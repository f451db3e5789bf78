using System.Collections.Generic;
using System.IO;

namespace XenLite.Policy;

/// <summary>Batch decisions: each input line "subject object class perm" gives one tab-separated output
/// line: the four fields, allow|deny, auditallow 0/1, dontaudit 0/1. Blank lines and # comments are skipped.</summary>
public static class Query
{
    public static int Run(Decider decider, TextReader input, string inputName, TextWriter stdout, TextWriter stderr)
    {
        int errors = 0, lineNo = 0;
        string line;
        while ((line = input.ReadLine()) != null)
        {
            lineNo++;
            string text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            string[] f = text.Split((char[])null, System.StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 4)
            {
                stderr.Write($"{inputName}:{lineNo}:1: expected 'subject object class perm'\n");
                errors++;
                continue;
            }
            if (!decider.Decide(f[0], f[1], f[2], f[3], out bool allowed, out bool auditallow, out bool dontaudit, out string error))
            {
                stderr.Write($"{inputName}:{lineNo}:1: {error}\n");
                errors++;
                continue;
            }
            stdout.Write($"{f[0]}\t{f[1]}\t{f[2]}\t{f[3]}\t{(allowed ? "allow" : "deny")}\t{(auditallow ? 1 : 0)}\t{(dontaudit ? 1 : 0)}\n");
        }
        return errors;
    }
}

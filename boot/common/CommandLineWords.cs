// Boot command-line lookups shared by both architectures' BootInfo.
namespace XenLite.Boot
{
    public static unsafe class CommandLineWords
    {
        // True if `line` has the word `key=value` (or `key` alone when value is
        // null), space separated, as in `xenlite.selftest=runtime`.
        public static bool Has(byte* line, int length, string key, string value)
        {
            int i = 0;
            while (i < length)
            {
                while (i < length && line[i] == ' ') i++;
                int start = i;
                while (i < length && line[i] != ' ') i++;
                if (WordIs(line + start, i - start, key, value)) return true;
            }
            return false;
        }

        static bool WordIs(byte* word, int length, string key, string value)
        {
            int expected = key.Length + ((object)value == null ? 0 : value.Length + 1);
            if (length != expected) return false;
            for (int k = 0; k < key.Length; k++)
                if (word[k] != key[k]) return false;
            if ((object)value == null) return true;
            if (word[key.Length] != '=') return false;
            for (int k = 0; k < value.Length; k++)
                if (word[key.Length + 1 + k] != value[k]) return false;
            return true;
        }
    }
}

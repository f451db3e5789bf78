// The test table and its runner. A test is a small function that returns null
// when it passes or the reason it failed; Expect.* record the numbers behind a
// failure so the FAIL line can show them.
namespace XenLite.Guest
{
    public unsafe struct Test
    {
        public string Name;
        public delegate*<string> Run;

        public Test(string name, delegate*<string> run) { Name = name; Run = run; }
    }

    public static class Expect
    {
        static bool s_hasNumbers;
        static long s_got, s_want;

        public static void Reset() => s_hasNumbers = false;

        public static string Equal(long got, long want, string why)
        {
            if (got == want) return null;
            s_hasNumbers = true;
            s_got = got;
            s_want = want;
            return why;
        }

        public static string True(bool ok, string why) => ok ? null : why;

        public static void AddNumbers()
        {
            if (!s_hasNumbers) return;
            Out.Add(" (got ");
            Out.AddDec(s_got);
            Out.Add(", expected ");
            Out.AddDec(s_want);
            Out.Add(")");
        }
    }

    public static unsafe class Suite
    {
        public static int Passed, Failed;

        public static void Run(Test[] tests)
        {
            for (int i = 0; i < tests.Length; i++)
            {
                Expect.Reset();
                Report(tests[i].Name, tests[i].Run());
            }
        }

        public static void Report(string name, string why)
        {
            if ((object)why == null)
            {
                Passed++;
                Out.Add("PASS ");
                Out.Add(name);
            }
            else
            {
                Failed++;
                Out.Add("FAIL ");
                Out.Add(name);
                Out.Add(": ");
                Out.Add(why);
                Expect.AddNumbers();
            }
            Out.End();
        }
    }
}

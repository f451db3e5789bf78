// multicall (13): xen/common/multicall.c. Entries are multicall_entry
// { xen_ulong_t op; xen_long_t result; xen_ulong_t args[6]; } (64 bytes).
// Only `result` may be read back: debug builds scribble over the rest.
namespace XenLite.Guest
{
    public static unsafe class MulticallTests
    {
        public static readonly Test[] All =
        {
            new Test("multicall.two_xen_version", &TwoXenVersion),
            new Test("multicall.failed_entry_does_not_stop", &FailedEntryContinues),
            new Test("multicall.nested_einval", &Nested),
            new Test("multicall.zero_entries", &ZeroEntries),
            new Test("multicall.beyond_ram_efault", &BadList),
        };

        const int EntrySize = 64;

        static ulong* Entry(byte* list, int i, ulong op, ulong a0 = 0, ulong a1 = 0)
        {
            ulong* e = (ulong*)(list + i * EntrySize);
            e[0] = op;
            e[1] = 0x5A5A5A5A;   // result: must be overwritten
            e[2] = a0;
            e[3] = a1;
            for (int k = 4; k < 8; k++) e[k] = 0;
            return e;
        }

        static long Result(ulong* e) => (long)e[1];

        static string TwoXenVersion()
        {
            byte* list = Scratch.A(2 * EntrySize);
            ulong* v = Entry(list, 0, Hc.XenVersion, XenVer.Version);
            ulong* p = Entry(list, 1, Hc.XenVersion, XenVer.Pagesize);
            string why = Expect.Equal(Xen.Call(Hc.Multicall, (ulong)list, 2), 0, "rc");
            if (why != null) return why;
            why = Expect.Equal(Result(v), Xen.Call(Hc.XenVersion, XenVer.Version, 0), "entry 0 (XENVER_version)");
            return why ?? Expect.Equal(Result(p), 4096, "entry 1 (XENVER_pagesize)");
        }

        static string FailedEntryContinues()
        {
            byte* list = Scratch.A(2 * EntrySize);
            ulong* bad = Entry(list, 0, 63);
            ulong* ok = Entry(list, 1, Hc.XenVersion, XenVer.Pagesize);
            string why = Expect.Equal(Xen.Call(Hc.Multicall, (ulong)list, 2), 0, "rc");
            if (why != null) return why;
            why = Expect.Equal(Result(bad), -Errno.ENOSYS, "entry 0 (hypercall 63)");
            return why ?? Expect.Equal(Result(ok), 4096, "entry 1 (XENVER_pagesize)");
        }

        // An entry that is itself a multicall: re-entry is refused.
        static string Nested()
        {
            byte* inner = Scratch.B(EntrySize);
            Entry(inner, 0, Hc.XenVersion, XenVer.Pagesize);
            byte* list = Scratch.A(EntrySize);
            ulong* e = Entry(list, 0, Hc.Multicall, (ulong)inner, 1);
            string why = Expect.Equal(Xen.Call(Hc.Multicall, (ulong)list, 1), 0, "rc");
            return why ?? Expect.Equal(Result(e), -Errno.EINVAL, "nested entry");
        }

        static string ZeroEntries() => Expect.Equal(Xen.Call(Hc.Multicall, (ulong)Scratch.A(8), 0), 0, "rc");

        static string BadList() => Expect.Equal(Xen.Call(Hc.Multicall, BadAddress.BeyondRam, 1), -Errno.EFAULT, "rc");
    }
}

// console_io (18): xen/drivers/char/console.c do_console_io. The XSM check
// comes first: only the console domain (dom0) may use it, except that debug
// builds also let any domain write; everything else gets -EPERM.
namespace XenLite.Guest
{
    public static unsafe class ConsoleIoTests
    {
        public static readonly Test[] All =
        {
            new Test("console_io.write_0_bytes", &WriteNothing),
            new Test("console_io.write_beyond_ram_efault", &WriteBeyondRam),
            new Test("console_io.read_0_bytes", &ReadNothing),
            new Test("console_io.read_over_int_max_e2big", &ReadTooMuch),
            new Test("console_io.unknown_cmd_enosys", &UnknownCmd),
        };

        static long Io(ulong cmd, ulong count, ulong buffer) => Xen.Call(Hc.ConsoleIo, cmd, count, buffer);

        static long Allowed(ulong cmd, long rc)
            => Guest.Privileged || (cmd == ConsoleIo.Write && Out.ViaXen) ? rc : -Errno.EPERM;

        static string WriteNothing() => Expect.Equal(Io(ConsoleIo.Write, 0, (ulong)Scratch.A(8)), Allowed(ConsoleIo.Write, 0), "rc");

        static string WriteBeyondRam() => Expect.Equal(Io(ConsoleIo.Write, 10, BadAddress.BeyondRam), Allowed(ConsoleIo.Write, -Errno.EFAULT), "rc");

        static string ReadNothing() => Expect.Equal(Io(ConsoleIo.Read, 0, (ulong)Scratch.A(8)), Allowed(ConsoleIo.Read, 0), "rc");

        static string ReadTooMuch() => Expect.Equal(Io(ConsoleIo.Read, 0x80000000, (ulong)Scratch.A(8)), Allowed(ConsoleIo.Read, -Errno.E2BIG), "rc");

        static string UnknownCmd() => Expect.Equal(Io(99, 0, 0), Allowed(99, -Errno.ENOSYS), "rc");
    }
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Byte writes to port 0xe9 (Xen's HVM debug console, hvm_print_line) and 0x12 (the Xen
/// platform device's log port) become console lines "(dN) text", one whole line at a time:
/// unprintable bytes are dropped and a line is cut at 255 characters, as Xen does.
/// </summary>
public static class DebugConsole
{
    public const ushort Port = 0xE9, PlatformLogPort = 0x12;
    public const int LineSize = 256;

    public static bool Claims(ushort port) => port == Port || port == PlatformLogPort;

    public static void Put(Domain d, byte c)
    {
        if (!Printable(c)) return;
        X86DomainState s = d.X86;
        if (c != (byte)'\n') s.ConsoleLine[s.ConsoleLength++] = c;
        if (c == (byte)'\n' || s.ConsoleLength == LineSize - 1) Flush(d, s);
    }

    static void Flush(Domain d, X86DomainState s)
    {
        HvConsole con = d.Hv.Console;
        con.Write("(d");
        con.WriteDec((ulong)d.Id);
        con.Write(") ");
        for (int i = 0; i < s.ConsoleLength; i++) con.Put(s.ConsoleLine[i]);
        con.Put((byte)'\n');
        s.ConsoleLength = 0;
    }

    /// <summary>Xen's is_console_printable: printable ASCII and Latin-1, tab, newline.</summary>
    static bool Printable(byte c) => (c >= 0x20 && c <= 0x7E) || c >= 0xA0 || c == (byte)'\t' || c == (byte)'\n';
}

namespace XenLite.Hv.Common.ConsoleIo;

/// <summary>
/// What a domain other than the hardware domain has written to the console but not yet ended
/// with a newline. Xen keeps this per domain (struct domain_console: 256 bytes) and prints a
/// whole line at a time, prefixed "(dN) ", so guests cannot interleave half lines.
/// </summary>
internal sealed unsafe class GuestLineBuffer
{
    const int Size = 256;

    Domain _owner;
    readonly byte[] _buf = new byte[Size];
    int _idx;

    /// <summary>The buffer of <paramref name="d"/>; a new domain reusing an id starts empty.</summary>
    public static GuestLineBuffer For(Domain d)
    {
        GuestLineBuffer[] lines = d.Hv.Console.GuestLines;
        GuestLineBuffer b = lines[d.Id];
        if (b == null) lines[d.Id] = b = new GuestLineBuffer();
        if (b._owner != d)
        {
            b._owner = d;
            b._idx = 0;
        }
        return b;
    }

    /// <summary>
    /// Takes bytes of <paramref name="chunk"/> (filtered in place) up to and including the first
    /// newline; returns how many were consumed. The line is printed when it ends or would no
    /// longer fit, as guest_console_write does.
    /// </summary>
    public uint Take(byte* chunk, uint count)
    {
        byte* kin = chunk;
        int kept = 0;
        byte c;
        do
        {
            c = *kin++;
            if (c == (byte)'\n') break;
            if (Printable(c)) chunk[kept++] = c;
        } while (--count > 0);

        if (c != (byte)'\n' && _idx + kept < Size - 1)
        {
            for (int i = 0; i < kept; i++) _buf[_idx + i] = chunk[i];
            _idx += kept;
        }
        else
        {
            PrintLine(chunk, kept);
            _idx = 0;
        }
        return (uint)(kin - chunk);
    }

    void PrintLine(byte* tail, int tailLen)
    {
        HvConsole con = _owner.Hv.Console;
        int total = _idx + tailLen;
        // printk reads leading "<x>" triples as log-level markers and drops them, including any
        // the guest wrote at the start of its line.
        int skip = 0;
        while (skip + 2 < total && At(tail, skip) == (byte)'<' && At(tail, skip + 2) == (byte)'>') skip += 3;

        con.Put((byte)'(');
        con.Put((byte)'d');
        con.WriteDec((ulong)_owner.Id);
        con.Put((byte)')');
        con.Put((byte)' ');
        for (int i = skip; i < total; i++) con.Put(At(tail, i));
        con.Put((byte)'\n');
    }

    /// <summary>Byte <paramref name="i"/> of the buffered text followed by <paramref name="tail"/>.</summary>
    byte At(byte* tail, int i) => i < _idx ? _buf[i] : tail[i - _idx];

    /// <summary>Xen's is_console_printable: ASCII and Latin-1 printables, tab and newline.</summary>
    static bool Printable(byte c) =>
        (c >= 0x20 && c <= 0x7E) || c >= 0xA0 || c == (byte)'\t' || c == (byte)'\n';
}

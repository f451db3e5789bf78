namespace XenLite.Hv.Common;

/// <summary>
/// The hypervisor console: output goes to the platform and into a ring that sysctl
/// readconsole can return (Xen's conring); input received on the serial line waits in a
/// second ring for CONSOLEIO_read (Xen's serial_rx_ring).
/// </summary>
public sealed class HvConsole
{
    public const int RingSize = 16384;
    public const int InputRingSize = 128;

    readonly Platform _platform;
    readonly byte[] _ring = new byte[RingSize];
    ulong _ringProd;
    readonly byte[] _input = new byte[InputRingSize];
    uint _inProd, _inCons;

    public HvConsole(Platform platform) => _platform = platform;

    /// <summary>Xen's console_to_ring option: direct (hardware domain) output also goes into the ring.</summary>
    public bool ConsoleToRing;

    /// <summary>Per-domain partial lines of console_io writes (Xen's d->console buffer), by domain id.</summary>
    internal readonly ConsoleIo.GuestLineBuffer[] GuestLines = new ConsoleIo.GuestLineBuffer[Hypervisor.MaxDomains];

    /// <summary>One byte straight to the console device, bypassing the ring unless <see cref="ConsoleToRing"/>.</summary>
    public void PutDirect(byte b)
    {
        if (ConsoleToRing) Put(b);
        else _platform.ConsoleWrite(b);
    }

    public void Put(byte b)
    {
        _ring[_ringProd % RingSize] = b;
        _ringProd++;
        _platform.ConsoleWrite(b);
    }

    public void Write(string s)
    {
        for (int i = 0; i < s.Length; i++) Put((byte)s[i]);
    }

    public void WriteLine(string s)
    {
        Write(s);
        Put((byte)'\n');
    }

    public void WriteDec(long value)
    {
        if (value < 0) { Put((byte)'-'); value = -value; }
        WriteDec((ulong)value);
    }

    public void WriteDec(ulong value)
    {
        unsafe
        {
            byte* digits = stackalloc byte[20];
            int n = 0;
            do { digits[n++] = (byte)('0' + value % 10); value /= 10; } while (value != 0);
            while (n > 0) Put(digits[--n]);
        }
    }

    public void WriteHex(ulong value, int digits = 16)
    {
        Write("0x");
        for (int i = digits - 1; i >= 0; i--)
        {
            int nib = (int)((value >> (i * 4)) & 0xF);
            Put((byte)(nib < 10 ? '0' + nib : 'a' + nib - 10));
        }
    }

    /// <summary>Bytes ever written (the ring keeps the last <see cref="RingSize"/>).</summary>
    public ulong Produced => _ringProd;

    /// <summary>Byte number <paramref name="index"/> of the output, if still in the ring.</summary>
    public bool TryGetOutput(ulong index, out byte b)
    {
        b = 0;
        if (index >= _ringProd || _ringProd - index > RingSize) return false;
        b = _ring[index % RingSize];
        return true;
    }

    /// <summary>A byte arrived on the console line (serial RX); dropped when the ring is full.</summary>
    public void Receive(byte b)
    {
        if (_inProd - _inCons == InputRingSize) return;
        _input[_inProd % InputRingSize] = b;
        _inProd++;
    }

    /// <summary>
    /// Copies up to <paramref name="max"/> waiting input bytes, stopping where the ring wraps,
    /// without consuming them; pair with <see cref="ConsumeInput"/> once they are delivered.
    /// </summary>
    public unsafe int PeekInputRun(byte* dst, int max)
    {
        uint idx = _inCons % InputRingSize;
        uint len = _inProd - _inCons;
        if (idx + len > InputRingSize) len = InputRingSize - idx;
        if (len > (uint)max) len = (uint)max;
        for (uint i = 0; i < len; i++) dst[i] = _input[idx + i];
        return (int)len;
    }

    public void ConsumeInput(int n) => _inCons += (uint)n;

    public bool TryTakeInput(out byte b)
    {
        b = 0;
        if (_inCons == _inProd) return false;
        b = _input[_inCons % InputRingSize];
        _inCons++;
        return true;
    }
}

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

    public bool TryTakeInput(out byte b)
    {
        b = 0;
        if (_inCons == _inProd) return false;
        b = _input[_inCons % InputRingSize];
        _inCons++;
        return true;
    }
}

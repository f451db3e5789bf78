using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The SBSA UART Xen emulates at GUEST_PL011_BASE with its back end in the hypervisor
/// (xen/arch/arm/vpl011.c): transmit is always ready, output goes to the console a line at a
/// time as "(XEN) DOM&lt;id&gt;: text", nothing is ever received. TX interrupts reach the guest as
/// SPI 32 when it unmasks them.
/// </summary>
public sealed class Vpl011
{
    public const int LineSize = 256;
    const ulong Dr = 0x000, Rsr = 0x004, Fr = 0x018, Imsc = 0x038, Ris = 0x03C, Mis = 0x040, Icr = 0x044;
    const uint Txfe = 1u << 7, Rxfe = 1u << 4, Txi = 1u << 5;

    readonly byte[] _line = new byte[LineSize];
    int _length;
    uint _imsc, _ris;

    public static bool Claims(ulong ipa) => ipa - GuestLayout.Pl011Base < GuestLayout.Pl011Size;

    public ulong Read(ulong offset)
    {
        switch (offset)
        {
            case Fr: return Txfe | Rxfe;
            case Imsc: return _imsc;
            case Ris: return _ris;
            case Mis: return _ris & _imsc;
            case Dr:
            case Rsr:
            default: return 0;
        }
    }

    public void Write(Vcpu v, ulong offset, ulong value)
    {
        switch (offset)
        {
            case Dr:
                Put(v.Domain, (byte)value);
                _ris |= Txi;
                break;
            case Imsc: _imsc = (uint)value & 0x7FF; break;
            case Icr: _ris &= ~(uint)value; break;
            default: return;   // RSR/ECR, baud rate, line control: accepted and ignored
        }
        if ((_ris & _imsc) != 0) Vgic.Raise(v.Domain.Vcpus[0], GuestLayout.Vpl011Spi);
    }

    void Put(Domain d, byte c)
    {
        if (c == (byte)'\r') return;
        if (c != (byte)'\n') _line[_length++] = c;
        if (c != (byte)'\n' && _length < LineSize - 2) return;
        HvConsole con = d.Hv.Console;
        con.Write("(XEN) DOM");
        con.WriteDec((ulong)d.Id);
        con.Write(": ");
        for (int i = 0; i < _length; i++) con.Put(_line[i]);
        con.Put((byte)'\n');
        _length = 0;
    }
}

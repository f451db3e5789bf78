using System.Text;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.ConsoleIo;

/// <summary>Calls console_io as a guest would, with text placed in guest memory.</summary>
public static class ConsoleGuest
{
    public const ulong Buf = 0x4000;

    public static long Io(TestMachine m, Domain d, ulong cmd, ulong count, ulong guestAddr) =>
        m.Call(d.Vcpus[0], HypercallNumber.ConsoleIo, cmd, count, guestAddr);

    /// <summary>Puts <paramref name="text"/> (Latin-1) at <see cref="Buf"/> and writes it with CONSOLEIO_write.</summary>
    public static long Write(TestMachine m, Domain d, string text)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        m.Poke(d, Buf, bytes);
        return Io(m, d, ConsoleIoCmd.Write, (ulong)bytes.Length, TestMachine.GuestAddr(d, Buf));
    }

    /// <summary>A domain other than the hardware domain that may use the console.</summary>
    public static Domain ConsoleDomU(TestMachine m, GuestMode mode = GuestMode.Hvm64, uint id = 1)
    {
        var d = m.NewDomain(mode, id: id, privileged: false);
        d.IsConsole = true;
        return d;
    }

    public static string Text(TestMachine m) => m.Platform.ConsoleText;

    /// <summary>What the console ring holds, as text.</summary>
    public static string Ring(TestMachine m)
    {
        var sb = new StringBuilder();
        for (ulong i = 0; i < m.Hv.Console.Produced; i++)
            if (m.Hv.Console.TryGetOutput(i, out byte b)) sb.Append((char)b);
        return sb.ToString();
    }
}

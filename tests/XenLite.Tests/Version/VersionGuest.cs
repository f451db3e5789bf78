using System;
using System.Linq;
using System.Text;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.XenVersion;

/// <summary>Calls xen_version as a guest would, with a scratch buffer in guest memory.</summary>
public static class VersionGuest
{
    /// <summary>Guest-physical scratch buffer, mapped in every mode.</summary>
    public const ulong Buf = 0x3000;
    public const byte Junk = 0xAA;

    public static readonly GuestMode[] AllModes =
        { GuestMode.Hvm64, GuestMode.Hvm32, GuestMode.Pv64, GuestMode.Pv32, GuestMode.Arm };

    public static long Ver(TestMachine m, Domain d, int cmd, ulong guestAddr) =>
        m.Call(d.Vcpus[0], HypercallNumber.XenVersion, (ulong)(uint)cmd, guestAddr);

    /// <summary>xen_version with the scratch buffer (as the guest addresses it) as the argument.</summary>
    public static long VerBuf(TestMachine m, Domain d, int cmd) => Ver(m, d, cmd, TestMachine.GuestAddr(d, Buf));

    /// <summary>An address the guest cannot use in its mode (unmapped; 32-bit safe).</summary>
    public static ulong BadAddr(Domain d) =>
        GuestModes.IsPv(d.Mode) ? TestMachine.GuestAddr(d, 0x10_0000) : 0xFFFF_F000;

    /// <summary>Fills the scratch buffer with junk so the test sees exactly which bytes were written.</summary>
    public static void Dirty(TestMachine m, Domain d, int length, ulong gpa = Buf) =>
        m.Poke(d, gpa, Enumerable.Repeat(Junk, length).ToArray());

    /// <summary>The bytes a fixed-size C string field holds: the text then NULs up to <paramref name="size"/>.</summary>
    public static byte[] Field(string text, int size)
    {
        var r = new byte[size];
        Encoding.ASCII.GetBytes(text).AsSpan().CopyTo(r);
        return r;
    }

    public static string Ascii(byte[] b) => Encoding.ASCII.GetString(b);
}

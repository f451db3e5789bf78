using System;
using System.Text;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Loader;

/// <summary>Calls the loader on test images held in guarded memory, and snapshots domain memory.</summary>
public static unsafe class LoaderRig
{
    public const ulong DomainPages = 512; // 2 MiB

    public static LoadRefusal Build(Domain d, byte[] image, string cmdline, out PvhBoot boot, BootModule[] modules = null)
    {
        using var g = new GuardedImage(image);
        var cmd = cmdline == null ? null : Encoding.ASCII.GetBytes(cmdline);
        fixed (byte* c = cmd)
        {
            // fixed gives null for an empty array; an empty command line is still a command line.
            byte empty = 0;
            byte* cp = cmd == null ? null : cmd.Length == 0 ? &empty : c;
            return PvhBuilder.Build(d, image.Length == 0 ? null : g.Pointer, (ulong)image.Length, cp, cmd == null ? 0 : (ulong)cmd.Length, modules, out boot);
        }
    }

    /// <summary>Every byte of the domain's RAM, in guest-physical order.</summary>
    public static byte[] Snapshot(TestMachine m, Domain d)
    {
        var r = new byte[d.P2m.Size * Page.Size];
        for (ulong g = 0; g < d.P2m.Size; g++)
            if (d.P2m.Lookup(new Gfn(g)).IsValid)
                new Span<byte>(m.HostPtr(d, g * Page.Size), (int)Page.Size).CopyTo(r.AsSpan((int)(g * Page.Size)));
        return r;
    }

    public static void Fill(TestMachine m, Domain d, byte value)
    {
        for (ulong g = 0; g < d.P2m.Size; g++)
            if (d.P2m.Lookup(new Gfn(g)).IsValid)
                new Span<byte>(m.HostPtr(d, g * Page.Size), (int)Page.Size).Fill(value);
    }

    public static string CString(TestMachine m, Domain d, ulong gpa)
    {
        var sb = new StringBuilder();
        for (ulong a = gpa; ; a++)
        {
            byte b = m.Peek(d, a, 1)[0];
            if (b == 0) return sb.ToString();
            sb.Append((char)b);
        }
    }

    public static TestMachine Machine(out Domain d0, ulong ramPages = 1024 + 64)
    {
        var m = new TestMachine(ramPages: ramPages);
        d0 = m.NewDomain(GuestMode.Hvm32, pages: DomainPages);
        return m;
    }
}

using XenLite.Hv.Common;
using XenLite.Hv.Common.Boot;

namespace XenLite.Hv.Arch.X86;

/// <summary>The x86 hypervisor command line: the shared options (<see cref="CommandLine"/>) with the PC's consoles.</summary>
public sealed unsafe class BootOptions : CommandLine
{
    static readonly string[] IgnoredNames = { "guest_loglvl", "com1", "noreboot", "sync_console", "dom0", "console_timestamps" };

    public static BootOptions Parse(HvConsole c, byte* line, int length)
    {
        var o = new BootOptions();
        o.Read(c, line, length);
        return o;
    }

    protected override string[] Ignored() => IgnoredNames;

    // A comma-separated device list. COM1 is our only device; the image applies "none" itself,
    // before the banner, so here the value is only checked.
    protected override bool IsConsole(byte* v, int n)
    {
        bool any = false;
        int i = 0;
        while (i < n)
        {
            int start = i;
            while (i < n && v[i] != (byte)',') i++;
            if (OptionValue.Is(v + start, i - start, "com1") || OptionValue.Is(v + start, i - start, "none") || OptionValue.Is(v + start, i - start, "vga")) any = true;
            i++;
        }
        return any;
    }
}

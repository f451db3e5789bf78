using XenLite.Hv.Common;
using XenLite.Hv.Common.Boot;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>The arm64 hypervisor command line (/chosen bootargs): the shared options (<see cref="CommandLine"/>) with the device-tree UART.</summary>
public sealed unsafe class Arm64Options : CommandLine
{
    static readonly string[] IgnoredNames = { "guest_loglvl", "sync_console", "noreboot", "console_timestamps", "dom0_max_vcpus", "bootscrub", "vwfi" };

    /// <summary>dom0_mem= in KiB; 0 = the default.</summary>
    public ulong Dom0MemoryKiB => Dom0Memory >> 10;

    public static Arm64Options Parse(HvConsole c, byte* line, int length)
    {
        var o = new Arm64Options();
        o.Read(c, line, length);
        return o;
    }

    protected override string[] Ignored() => IgnoredNames;

    // The device-tree UART is the only console; "none" is applied by the image before the banner.
    protected override bool IsConsole(byte* v, int n) =>
        OptionValue.Is(v, n, "dtuart") || OptionValue.Is(v, n, "none") || OptionValue.Is(v, n, "serial");
}

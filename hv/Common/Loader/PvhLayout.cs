using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Loader;

/// <summary>
/// Where the PVH boot data goes, as offsets from a page-aligned base: each module (page aligned,
/// its command line right after it), then hvm_start_info (page aligned), the command line, and
/// 8-byte aligned the module list and the memory map. Everything must end below 4 GiB: the guest
/// starts in 32-bit mode with paging off and finds the start info through EBX.
/// </summary>
public unsafe struct PvhLayout
{
    public const ulong Limit = 1UL << 32;

    public ulong StartInfo;
    public ulong Cmdline;
    public ulong Modlist;
    public ulong Memmap;
    public uint MemmapEntries;
    public ulong Size;

    /// <summary>False when the data cannot fit below 4 GiB whatever the base.</summary>
    public static bool Plan(BootModule[] modules, bool hasCmdline, ulong cmdlineLength, uint memmapEntries, out PvhLayout l)
    {
        l = default;
        ulong off = 0;
        int count = modules == null ? 0 : modules.Length;
        for (int i = 0; i < count; i++)
            if (!AdvanceModule(ref off, modules[i])) return false;
        l.StartInfo = off;
        if (!Advance(ref off, (ulong)sizeof(HvmStartInfo))) return false;
        l.Cmdline = off;
        if (hasCmdline && !(Advance(ref off, cmdlineLength) && Advance(ref off, 1))) return false;
        off = (off + 7) & ~7UL;
        l.Modlist = off;
        if (!Advance(ref off, (ulong)count * (ulong)sizeof(HvmModlistEntry))) return false;
        l.Memmap = off;
        l.MemmapEntries = memmapEntries;
        if (!Advance(ref off, (ulong)memmapEntries * (ulong)sizeof(HvmMemmapTableEntry))) return false;
        l.Size = off;
        return true;
    }

    /// <summary>Moves past one module and its command line, to the next page; the builder's write pass uses the same steps.</summary>
    public static bool AdvanceModule(ref ulong off, in BootModule m)
    {
        if (!Advance(ref off, m.Length)) return false;
        if (m.CmdlineLength != 0 && !(Advance(ref off, m.CmdlineLength) && Advance(ref off, 1))) return false;
        off = (off + Page.Mask) & ~Page.Mask;
        return off <= Limit;
    }

    static bool Advance(ref ulong off, ulong n)
    {
        if (off > Limit || n > Limit - off) return false;
        off += n;
        return true;
    }
}

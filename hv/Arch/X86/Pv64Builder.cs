using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// A 64-bit PV domain (<see cref="PvBuilder"/> does the steps every width shares): an ELF64
/// x86_64 kernel, 4-level bootstrap tables, start_info with magic "xen-3.0-x86_64" and 64-bit
/// fields, and a hypercall page of `syscall` stubs.
/// </summary>
public static unsafe class Pv64Builder
{
    /// <param name="cmdline">The guest's command line (null: none); start_info keeps up to 1023 bytes.</param>
    /// <param name="initrd">The initrd (the first extra module), or null.</param>
    public static LoadRefusal Build(Domain d, byte* image, ulong length, byte* cmdline, ulong cmdlineLength,
        BootModule* initrd, out PvBoot boot) =>
        PvBuilder.Build(d, false, image, length, cmdline, cmdlineLength, initrd, out boot);

    internal static LoadRefusal CheckImage(in ElfImage elf) =>
        elf.Is64 && elf.Machine == ElfFormat.MachineX86_64 ? LoadRefusal.Ok : new LoadRefusal(LoadError.NotElf64X86_64);

    internal static bool WriteStartInfo(Domain d, in PvLayout l, byte* cmdline, ulong cmdlineLength, ulong initrdLength)
    {
        StartInfoX86_64 si = default;
        PvBuilder.PutString(si.Magic, StartInfoX86_64.MagicLen, "xen-3.0-x86_64");
        si.NrPages = d.TotPages;
        si.SharedInfo = d.SharedInfo.Frame.ToMaddr().Value;
        si.Flags = PvBuilder.StartFlags(d);
        si.PtBase = l.PtStart;
        si.NrPtFrames = l.PtFrames;
        si.MfnList = l.PhysmapStart;
        if (initrdLength != 0)
        {
            si.ModStart = l.InitrdStart;
            si.ModLen = initrdLength;
        }
        PvBuilder.PutCmdline(si.CmdLine, StartInfoX86_64.MaxGuestCmdline, cmdline, cmdlineLength);
        si.FirstP2mPfn = d.TotPages;
        si.NrP2mFrames = 0;
        return PvBuilder.WriteStartPage(d, in l, (byte*)&si, (ulong)sizeof(StartInfoX86_64));
    }
}

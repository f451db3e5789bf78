using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// A 32-bit PV ("compat") domain, as Xen builds one on a 64-bit hypervisor
/// (<see cref="PvBuilder"/> does the steps every width shares): an ELF32 i386 kernel whose
/// PAE_MODE note says PAE, PAE bootstrap tables (the L3 at pt_base, all four L2s present; the
/// kernel's pages are supervisor pages, COMPAT_L1_PROT), 4-byte mfn_list entries, start_info
/// in its 32-bit layout with magic "xen-3.0-x86_32p", a hypercall page of `int $0x82` stubs,
/// and the whole boot area below HYPERVISOR_COMPAT_VIRT_START (0xF5800000).
/// </summary>
public static unsafe class Pv32Builder
{
    /// <param name="cmdline">The guest's command line (null: none); start_info keeps up to 1023 bytes.</param>
    /// <param name="initrd">The initrd (the first extra module), or null.</param>
    public static LoadRefusal Build(Domain d, byte* image, ulong length, byte* cmdline, ulong cmdlineLength,
        BootModule* initrd, out PvBoot boot) =>
        PvBuilder.Build(d, true, image, length, cmdline, cmdlineLength, initrd, out boot);

    internal static LoadRefusal CheckImage(in ElfImage elf) =>
        !elf.Is64 && elf.Machine == ElfFormat.MachineI386 ? LoadRefusal.Ok : new LoadRefusal(LoadError.NotElf32I386);

    internal static bool WriteStartInfo(Domain d, in PvLayout l, byte* cmdline, ulong cmdlineLength, ulong initrdLength)
    {
        StartInfoX86_32 si = default;
        PvBuilder.PutString(si.Magic, StartInfoX86_32.MagicLen, "xen-3.0-x86_32p");
        si.NrPages = (uint)d.TotPages;
        si.SharedInfo = (uint)d.SharedInfo.Frame.ToMaddr().Value;
        si.Flags = PvBuilder.StartFlags(d);
        si.PtBase = (uint)l.PtStart;
        si.NrPtFrames = (uint)l.PtFrames;
        si.MfnList = (uint)l.PhysmapStart;
        if (initrdLength != 0)
        {
            si.ModStart = (uint)l.InitrdStart;
            si.ModLen = (uint)initrdLength;
        }
        PvBuilder.PutCmdline(si.CmdLine, StartInfoX86_32.MaxGuestCmdline, cmdline, cmdlineLength);
        si.FirstP2mPfn = (uint)d.TotPages;
        si.NrP2mFrames = 0;
        return PvBuilder.WriteStartPage(d, in l, (byte*)&si, (ulong)sizeof(StartInfoX86_32));
    }
}

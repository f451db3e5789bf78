using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Plugin.Kexec;

/// <summary>KEXEC_CMD_kexec_get_range: where the crash area, this hypervisor, a CPU's crash notes and vmcoreinfo lie.</summary>
public static class KexecRanges
{
    public static long Get(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out KexecRangeArg r) != 0) return -Errno.EFAULT;
        int rc = Lookup(v.Hv, r.Range, r.Nr, ref r.Start, ref r.Size);
        if (rc == 0 && GuestMemory.Write(v, arg, in r) != 0) rc = -Errno.EFAULT;
        return rc;
    }

    public static long GetCompat(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out KexecRangeArgCompat c) != 0) return -Errno.EFAULT;
        ulong start = c.Start, size = c.Size;
        int rc = Lookup(v.Hv, c.Range, c.Nr, ref start, ref size);
        // An address or size a 32-bit caller cannot hold is refused, not truncated.
        if (((start | size) >> 32) != 0) return -Errno.ERANGE;
        if (rc == 0)
        {
            c.Start = (uint)start;
            c.Size = (uint)size;
            if (GuestMemory.Write(v, arg, in c) != 0) rc = -Errno.EFAULT;
        }
        return rc;
    }

    static int Lookup(Hypervisor hv, int range, int nr, ref ulong start, ref ulong size)
    {
        KexecState k = KexecState.Of(hv);
        switch (range)
        {
            case KexecRange.Crash:
                start = k.CrashSize != 0 && k.CrashStart != 0 ? k.CrashStart : 0;
                size = start != 0 ? k.CrashSize : 0;
                return 0;
            case KexecRange.Cpu:
                if (nr < 0 || nr >= KexecState.NrCpuIds) return -Errno.ERANGE;
                if (!k.HasCrashNotes) return -Errno.EINVAL;
                // Out of memory for the notes still answers, with an empty range.
                Mfn notes = k.CpuNotes(nr);
                start = notes.IsValid ? notes.ToMaddr().Value : 0;
                size = notes.IsValid ? CrashNotes.SizeOf(nr) : 0;
                return 0;
            case KexecRange.Vmcoreinfo:
                start = k.Vmcoreinfo.IsValid ? k.Vmcoreinfo.ToMaddr().Value : 0;
                size = KexecState.VmcoreinfoBytes;
                return 0;
            case KexecRange.Xen:
                // machine_kexec_get on x86: only Xen's own range; no handoff means no image to describe.
                ImageHandoff h = hv.Platform.Handoff;
                start = h != null ? h.ImageStart : 0;
                size = h != null ? h.ImageSize : 0;
                return 0;
            default:
                // XENHEAP, BOOT_PARAM, EFI_MEMMAP and unknown ranges: x86 has none of them.
                return -Errno.EINVAL;
        }
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Plugin.Kexec;

/// <summary>
/// KEXEC_CMD_kexec_load (kexec.c kexec_load + kimage.c): validate the segments in Xen's order
/// with Xen's errno, copy the caller's buffers into hypervisor frames (a default image) or
/// straight into the crash area (a crash image), then replace the type's previous image.
/// </summary>
public static unsafe class KexecLoader
{
    /// <summary>KEXEC_SEGMENT_MAX: nr_segments must stay below it.</summary>
    public const uint SegmentMax = 16;

    public static int Load(Vcpu v, ulong arg)
    {
        KexecState k = KexecState.Of(v.Domain.Hv);
        if (GuestMemory.Read(v, arg, out KexecLoadArg load) != 0) return -Errno.EFAULT;
        if (load.NrSegments >= SegmentMax) return -Errno.EINVAL;

        var segments = new KexecSegment[load.NrSegments];
        for (uint i = 0; i < load.NrSegments; i++)
            if (GuestMemory.Read(v, load.Segments + i * (ulong)sizeof(KexecSegment), out segments[i]) != 0) return -Errno.EFAULT;

        KexecImage image;
        int rc = Allocate(k, load.Type, load.EntryMaddr, segments, out image);
        if (rc < 0) return rc;
        image.Arch = load.Arch;

        for (int i = 0; i < segments.Length && rc == 0; i++)
        {
            if (segments[i].Buf == 0) continue; // no source: the image just gets the range
            rc = image.Type == KexecType.Default ? LoadNormal(v, k, image, in segments[i]) : LoadCrash(v, k, in segments[i]);
        }
        // machine_kexec_load: x86 takes 32- and 64-bit images only.
        if (rc == 0 && load.Arch != ElfMachine.I386 && load.Arch != ElfMachine.X86_64) rc = -Errno.EINVAL;
        if (rc == 0 && k.InProgress) rc = -Errno.EBUSY;
        if (rc < 0)
        {
            image.Free(k.Hv.Memory);
            return rc;
        }
        if (!k.VmcoreinfoSaved && k.Vmcoreinfo.IsValid)
        {
            CrashNotes.WriteVmcoreinfo(k.Hv.Memory, k.Vmcoreinfo);
            k.VmcoreinfoSaved = true;
        }
        k.Swap(image.Type, image);
        return 0;
    }

    /// <summary>kimage_alloc: the type's address rules, alignment, overlap and size checks, the control page.</summary>
    static int Allocate(KexecState k, byte type, ulong entry, KexecSegment[] segments, out KexecImage image)
    {
        image = null;
        if (type == KexecType.Crash)
        {
            // A crash image is preloaded into the reserved area: entry and every sourced segment stay inside it.
            if (entry < k.CrashStart || entry > k.CrashStart + k.CrashSize) return -Errno.EADDRNOTAVAIL;
            for (int i = 0; i < segments.Length; i++)
            {
                if (segments[i].Buf == 0) continue;
                ulong s = segments[i].DestMaddr, e = s + segments[i].DestSize;
                if (s < k.CrashStart || e > k.CrashStart + k.CrashSize) return -Errno.EADDRNOTAVAIL;
            }
        }
        else if (type != KexecType.Default)
        {
            return -Errno.EINVAL;
        }

        for (int i = 0; i < segments.Length; i++)
        {
            ulong s = segments[i].DestMaddr, e = s + segments[i].DestSize;
            if ((s & Page.Mask) != 0 || (e & Page.Mask) != 0) return -Errno.EADDRNOTAVAIL;
        }
        for (int i = 0; i < segments.Length; i++)
        {
            ulong s = segments[i].DestMaddr, e = s + segments[i].DestSize;
            for (int j = 0; j < i; j++)
            {
                ulong ps = segments[j].DestMaddr, pe = ps + segments[j].DestSize;
                if (e > ps && s < pe) return -Errno.EINVAL;
            }
        }
        for (int i = 0; i < segments.Length; i++)
            if (segments[i].BufSize > segments[i].DestSize) return -Errno.EINVAL;

        var img = new KexecImage(type, entry, segments);
        img.ControlPage = type == KexecType.Crash ? CrashControlPage(k, img) : TakeFrame(k, img, ulong.MaxValue);
        if (!img.ControlPage.IsValid)
        {
            img.Free(k.Hv.Memory);
            return -Errno.ENOMEM;
        }
        image = img;
        return 0;
    }

    /// <summary>kimage_load_normal_segment: one fresh hypervisor frame per source page, zero steps for the rest.</summary>
    static int LoadNormal(Vcpu v, KexecState k, KexecImage image, in KexecSegment seg)
    {
        ulong dest = seg.DestMaddr, end = seg.DestMaddr + seg.DestSize;
        ulong toCopy = seg.BufSize, offset = 0;
        while (toCopy != 0)
        {
            ulong size = toCopy < Page.Size ? toCopy : Page.Size;
            Mfn frame = TakeFrame(k, image, dest);
            if (!frame.IsValid) return -Errno.ENOMEM;
            if (GuestMemory.CopyFrom(v, seg.Buf + offset, k.Hv.Memory.Map(frame), size) != 0) return -Errno.EFAULT;
            image.AddStep(dest, frame.ToMaddr().Value, 1);
            toCopy -= size;
            offset += size;
            dest += Page.Size;
        }
        if (dest < end) image.AddStep(dest, HandoffPage.ZeroFill, (end - dest) >> Page.Shift);
        return 0;
    }

    /// <summary>kimage_load_crash_segment: copy into the reserved area page by page, zeroing each page's tail.</summary>
    static int LoadCrash(Vcpu v, KexecState k, in KexecSegment seg)
    {
        ulong dest = seg.DestMaddr, dbytes = seg.DestSize, sbytes = seg.BufSize, offset = 0;
        while (dbytes != 0)
        {
            byte* page = k.Hv.Memory.Map(new Maddr(dest).Frame);
            if (page == null) return -Errno.EINVAL;
            ulong chunk = sbytes < Page.Size ? sbytes : Page.Size;
            int rc = GuestMemory.CopyFrom(v, seg.Buf + offset, page, chunk);
            for (ulong i = chunk; i < Page.Size; i++) page[i] = 0;
            if (rc != 0) return -Errno.EFAULT;
            dbytes -= Page.Size;
            sbytes -= chunk;
            dest += Page.Size;
            offset += chunk;
        }
        return 0;
    }

    /// <summary>
    /// A zeroed hypervisor frame for the image (kimage_alloc_page): either the very page it will be copied to,
    /// or no destination at all, so the copies at exec never overwrite a source not yet copied.
    /// Frames that fail the rule are set aside and given back afterwards.
    /// </summary>
    static Mfn TakeFrame(KexecState k, KexecImage image, ulong destination)
    {
        MachineMemory mem = k.Hv.Memory;
        Mfn found = Mfn.Invalid;
        Mfn[] aside = null;
        int asideCount = 0;
        while (true)
        {
            Mfn mfn = mem.Allocate((ushort)DomainIds.Xen);
            if (!mfn.IsValid) break;
            ulong addr = mfn.ToMaddr().Value;
            if (addr == destination || !image.IsDestination(addr, addr + Page.Size))
            {
                found = mfn;
                break;
            }
            if (aside == null || asideCount == aside.Length)
            {
                var bigger = new Mfn[aside == null ? 8 : aside.Length * 2];
                for (int i = 0; i < asideCount; i++) bigger[i] = aside[i];
                aside = bigger;
            }
            aside[asideCount++] = mfn;
        }
        for (int i = 0; i < asideCount; i++) mem.Free(aside[i]);
        if (found.IsValid) image.Own(found);
        return found;
    }

    /// <summary>kimage_alloc_crash_control_page: the first page-sized hole of the crash area no segment covers.</summary>
    static Mfn CrashControlPage(KexecState k, KexecImage image)
    {
        ulong holeStart = (k.CrashStart + Page.Mask) & ~Page.Mask;
        ulong holeEnd = holeStart + Page.Size;
        while (holeEnd <= k.CrashStart + k.CrashSize)
        {
            bool overlaps = false;
            for (int i = 0; i < image.Segments.Length; i++)
            {
                ulong s = image.Segments[i].DestMaddr, e = s + image.Segments[i].DestSize;
                if (holeEnd > s && holeStart < e)
                {
                    holeStart = (e + Page.Mask) & ~Page.Mask;
                    holeEnd = holeStart + Page.Size;
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) return new Maddr(holeStart).Frame;
        }
        return Mfn.Invalid;
    }
}

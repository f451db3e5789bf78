using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using L = XenLite.Plugin.Xenoprof.XenoprofBufLayout;

namespace XenLite.Plugin.Xenoprof;

/// <summary>How a domain takes part in profiling (XENOPROF_DOMAIN_*).</summary>
public enum ProfiledAs : byte
{
    Ignored = 0,
    Active = 1,
    Passive = 2,
}

/// <summary>
/// A domain's sample buffers (Xen's struct xenoprof): one xenoprof_buf per vCPU in contiguous
/// hypervisor frames, made on first use and kept until the domain dies. While shared they are
/// owned by the domain that reads them (the profiled domain, or the profiler for a passive one).
/// </summary>
public sealed unsafe class XenoprofBuffers
{
    public readonly Domain Domain;
    public readonly Mfn Raw;
    public readonly int Npages;
    public readonly int Nbuf;
    public readonly int Bufsize;
    public readonly bool IsCompat;
    /// <summary>The ring length the hypervisor trusts (the shared copy may be scribbled on).</summary>
    public readonly int EventSize;
    public ProfiledAs Type;

    XenoprofBuffers(Domain d, Mfn raw, int npages, int bufsize, bool compat, int eventSize)
    {
        Domain = d;
        Raw = raw;
        Npages = npages;
        Nbuf = d.Vcpus.Length;
        Bufsize = bufsize;
        IsCompat = compat;
        EventSize = eventSize;
    }

    public int EntrySize => IsCompat ? L.EntrySizeCompat : L.EntrySize;

    /// <summary>alloc_xenoprof_struct: <paramref name="maxSamples"/> entries per vCPU, cut down to fit the page limit.</summary>
    public static int Allocate(Domain d, int maxSamples, bool compat, out XenoprofBuffers buffers)
    {
        buffers = null;
        int nvcpu = d.Vcpus.Length;
        if (nvcpu == 0) return -Errno.EINVAL;
        int entry = compat ? L.EntrySizeCompat : L.EntrySize;
        int bufsize = L.EventLog + entry; // sizeof(struct xenoprof_buf): one entry included
        int maxBufsize = XenoprofLimits.MaxSharedPages * (int)Page.Size / nvcpu;
        uint maxMaxSamples = (uint)((maxBufsize - bufsize) / entry + 1);
        if ((uint)maxSamples > maxMaxSamples) maxSamples = (int)maxMaxSamples;
        bufsize += (maxSamples - 1) * entry;
        int npages = (nvcpu * bufsize - 1) / (int)Page.Size + 1;

        Mfn raw = d.Hv.Memory.AllocateRun((ushort)DomainIds.Xen, (ulong)npages);
        if (!raw.IsValid) return -Errno.ENOMEM;
        var b = new XenoprofBuffers(d, raw, npages, bufsize, compat, maxSamples);
        for (int i = 0; i < nvcpu; i++)
        {
            byte* buf = b.Buffer(i);
            *(int*)(buf + L.EventSize) = maxSamples;
            *(int*)(buf + L.VcpuId) = i;
        }
        buffers = b;
        return 0;
    }

    public byte* Buffer(int vcpu) => Domain.Hv.Memory.Map(Raw) + vcpu * Bufsize;

    /// <summary>The machine address the reader maps (PV readers are not translated).</summary>
    public ulong Maddr => Raw.ToMaddr().Value;

    /// <summary>share_xenoprof_page_with_guest: -EBUSY while the previous reader still holds a page.</summary>
    public int Share(Domain reader)
    {
        MachineMemory mem = Domain.Hv.Memory;
        for (int i = 0; i < Npages; i++)
            if (mem.RefCount(new Mfn(Raw.Value + (ulong)i)) != 0) return -Errno.EBUSY;
        for (int i = 0; i < Npages; i++) mem.ShareXenFrame(new Mfn(Raw.Value + (ulong)i), reader.Id);
        return 0;
    }

    /// <summary>unshare_xenoprof_page_with_guest: the share's reference goes; the pages return to the hypervisor.</summary>
    public void Unshare()
    {
        MachineMemory mem = Domain.Hv.Memory;
        for (int i = 0; i < Npages; i++) mem.UnshareXenFrame(new Mfn(Raw.Value + (ulong)i), (ushort)DomainIds.Xen);
    }

    /// <summary>Is the area shared with <paramref name="d"/> right now?</summary>
    public bool SharedWith(Domain d) => Domain.Hv.Memory.OwnerOf(Raw) == d.Id && Domain.Hv.Memory.RefCount(Raw) != 0;

    public void Free()
    {
        MachineMemory mem = Domain.Hv.Memory;
        for (int i = 0; i < Npages; i++) mem.Free(new Mfn(Raw.Value + (ulong)i));
    }

    /// <summary>xenoprof_reset_buf: empty every vCPU's ring.</summary>
    public void Reset()
    {
        for (int i = 0; i < Nbuf; i++)
        {
            byte* buf = Buffer(i);
            *(int*)(buf + L.EventHead) = 0;
            *(int*)(buf + L.EventTail) = 0;
        }
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Events;

/// <summary>
/// A domain's shared_info page: a frame the hypervisor allocates and owns on the domain's
/// behalf (so the guest may map it), holding the 2-level event bitmaps, the legacy vcpu_info
/// slots and the wallclock. PV guests find its MFN in start_info; translated guests place it
/// in their physical map with XENMEM_add_to_physmap (<see cref="MapAt"/>).
/// </summary>
public sealed unsafe class SharedInfoPage
{
    public readonly Domain Domain;
    public readonly Mfn Frame;
    public readonly byte* Base;
    /// <summary>The ABI the guest reads the page with; HVM guests latch it from their mode (<see cref="Latch"/>).</summary>
    public SharedLayout Layout;
    /// <summary>Where a translated guest mapped the page, if it did.</summary>
    public bool Mapped;
    public Gfn MappedAt;

    SharedInfoPage(Domain d, Mfn frame)
    {
        Domain = d;
        Frame = frame;
        Base = d.Hv.Memory.Map(frame);
        Layout = d.Mode switch
        {
            GuestMode.Pv32 => SharedLayout.X86_32,
            GuestMode.Arm => SharedLayout.Arm64,
            _ => SharedLayout.X86_64,
        };
    }

    /// <summary>A zeroed hypervisor page shared with <paramref name="d"/> (not in its tot_pages, holding a reference so it can be mapped); null when RAM is exhausted.</summary>
    public static SharedInfoPage Create(Domain d)
    {
        Mfn mfn = d.Hv.Memory.AllocateShared(d.Id);
        return mfn.IsValid ? new SharedInfoPage(d, mfn) : null;
    }

    public byte* PendingBits => Base + Layout.EvtchnPending;
    public byte* MaskBits => Base + Layout.EvtchnMask;

    /// <summary>vcpu_info[i] in this page, or null for vCPUs beyond the legacy slots.</summary>
    public byte* VcpuSlot(int i) => i < Layout.LegacyMaxVcpus ? Base + i * Layout.VcpuInfoSize : null;

    /// <summary>
    /// Puts the page at guest frame <paramref name="gfn"/> of a translated guest, moving it from
    /// any earlier place. The caller (XENMEM_add_to_physmap) has already removed whatever RAM
    /// was there: a gfn still holding another frame is -EBUSY.
    /// </summary>
    public int MapAt(Gfn gfn)
    {
        Domain d = Domain;
        if (GuestModes.IsPv(d.Mode)) return -Errno.EINVAL;
        Mfn old = d.P2m.Lookup(gfn);
        if (old.IsValid && old.Value != Frame.Value) return -Errno.EBUSY;
        if (Mapped) d.P2m.Clear(MappedAt);
        if (!d.P2m.Set(gfn, Frame)) return -Errno.EINVAL;
        Mapped = true;
        MappedAt = gfn;
        return 0;
    }

    /// <summary>
    /// Xen's hvm_latch_shinfo_size: an HVM guest's first event or hypercall-page setup fixes
    /// whether it reads this page as 32- or 64-bit; the wallclock is rewritten in that layout.
    /// </summary>
    public void Latch(Vcpu caller)
    {
        if (!GuestModes.IsHvm(Domain.Mode) || caller.Domain != Domain) return;
        Layout = GuestModes.Is32Bit(caller.Mode) ? SharedLayout.X86_32 : SharedLayout.X86_64;
        WriteWallclock();
    }

    /// <summary>wc_sec/wc_nsec (+ wc_sec_hi): the wall time at system time 0, under the version protocol.</summary>
    public void WriteWallclock()
    {
        Vcpus.GuestClock clock = Domain.Hv.Clock;
        uint* version = (uint*)(Base + Layout.WcVersion);
        *version = (*version + 1) | 1;
        ulong sec = clock.WallclockSec;
        *(uint*)(Base + Layout.WcVersion + 4) = (uint)sec;
        *(uint*)(Base + Layout.WcVersion + 8) = clock.WallclockNsec;
        *(uint*)(Base + Layout.WcSecHi) = (uint)(sec >> 32);
        *version = (*version + 1) & ~1u;
    }

    /// <summary>Gives the frame back when the domain is destroyed.</summary>
    public void Release()
    {
        if (Mapped) Domain.P2m.Clear(MappedAt);
        Mapped = false;
        Domain.Hv.Memory.Free(Frame);
    }
}

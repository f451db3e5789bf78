using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Plugin.Kexec;

/// <summary>
/// A loaded image (Xen's struct kexec_image): its segments, the hypervisor frames holding a
/// default image's pages until exec (owner DOMID_XEN), and the handoff plan that copies them.
/// </summary>
public sealed class KexecImage
{
    public readonly int Type;
    public readonly ulong EntryMaddr;
    public readonly KexecSegment[] Segments;
    public ushort Arch;
    /// <summary>A page that is no destination, for the relocation code at exec.</summary>
    public Mfn ControlPage = Mfn.Invalid;
    /// <summary>The copy and zero steps of a default image (a crash image is loaded in place: none).</summary>
    public HandoffPage[] Plan;
    public int PlanCount;
    /// <summary>Frames this image allocated (default images only: crash images live in the reserved area).</summary>
    Mfn[] _frames = new Mfn[16];
    int _frameCount;

    public KexecImage(int type, ulong entry, KexecSegment[] segments)
    {
        Type = type;
        EntryMaddr = entry;
        Segments = segments;
        Plan = new HandoffPage[16];
    }

    public int FrameCount => _frameCount;
    public Mfn FrameAt(int i) => _frames[i];

    public void Own(Mfn mfn)
    {
        if (_frameCount == _frames.Length) _frames = Grow(_frames);
        _frames[_frameCount++] = mfn;
    }

    public void AddStep(ulong dest, ulong source, ulong pages)
    {
        if (PlanCount == Plan.Length)
        {
            var bigger = new HandoffPage[Plan.Length * 2];
            for (int i = 0; i < PlanCount; i++) bigger[i] = Plan[i];
            Plan = bigger;
        }
        Plan[PlanCount].Dest = dest;
        Plan[PlanCount].Source = source;
        Plan[PlanCount].Pages = pages;
        PlanCount++;
    }

    /// <summary>Does [start, end) touch any segment's destination (kimage_is_destination_range)?</summary>
    public bool IsDestination(ulong start, ulong end)
    {
        for (int i = 0; i < Segments.Length; i++)
        {
            ulong s = Segments[i].DestMaddr, e = s + Segments[i].DestSize;
            if (end > s && start < e) return true;
        }
        return false;
    }

    /// <summary>Xen's kimage_free: every frame goes back to the pool.</summary>
    public void Free(MachineMemory memory)
    {
        for (int i = 0; i < _frameCount; i++)
            if (memory.OwnerOf(_frames[i]) == (ushort)DomainIds.Xen) memory.Free(_frames[i]);
        _frameCount = 0;
        PlanCount = 0;
    }

    static Mfn[] Grow(Mfn[] a)
    {
        var b = new Mfn[a.Length * 2];
        for (int i = 0; i < a.Length; i++) b[i] = a[i];
        return b;
    }
}

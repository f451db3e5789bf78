namespace XenLite.Hv.Common.Memory;

/// <summary>
/// The arch's guest page-table walk for HVM/PVH and arm vCPUs: a hypercall buffer address is
/// guest-virtual (linear), as in Xen (x86 hvm_copy_*_guest_linear, arm raw_copy_*_guest), and is
/// turned into a guest-physical address through the vCPU's own paging state. The arch host sets
/// <see cref="Hypervisor.Paging"/> when it starts; without one (most hosted tests) addresses are
/// taken as guest-physical, as for a vCPU with paging off. PV guests are walked by PvPageWalk.
/// </summary>
public abstract unsafe class GuestPaging
{
    /// <summary>
    /// The guest-physical address of one byte a supervisor (kernel) access of <paramref name="v"/>
    /// reaches at <paramref name="va"/>; false when the walk fails (not present, reserved bits,
    /// non-canonical, a table outside the guest's RAM, or a write to a read-only mapping).
    /// </summary>
    public abstract bool ToGuestPhysical(Vcpu v, ulong va, bool write, out Gpa gpa);

    /// <summary>
    /// Where one page-table entry at guest-physical <paramref name="entryGpa"/> is in the hypervisor's
    /// view, or null: the table frame is looked up in the p2m and must be the domain's own RAM (Xen's
    /// map_domain_gfn wants p2m RAM), so a hole, a grant or a foreign frame ends the walk.
    /// </summary>
    protected static byte* TableEntry(Domain d, ulong entryGpa)
    {
        var g = new Gpa(entryGpa);
        if (d.P2m.TypeOf(g.Frame) != P2mType.RamRw) return null;
        Mfn mfn = d.P2m.Lookup(g.Frame);
        if (!mfn.IsValid || d.Hv.Memory.OwnerOf(mfn) != d.Id) return null;
        byte* page = d.Hv.Memory.Map(mfn);
        return page == null ? null : page + g.PageOffset;
    }
}

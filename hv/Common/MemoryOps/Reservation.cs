using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.MemoryOps;

/// <summary>
/// increase_reservation, decrease_reservation, populate_physmap and claim_pages. The first
/// three return how many extents they completed (Xen's convention: a bad argument is just
/// "0 done"), and continue through cmd's high bits when preempted.
/// </summary>
public static class Reservation
{
    /// <summary>Xen's max_order per caller: domU 9, control domain 18 (MAX_ORDER), hardware domain 12 (x86 defaults).</summary>
    public const int DomUMaxOrder = 9, CtlDomMaxOrder = 18, HwDomMaxOrder = 12, MaxOrder = 18;
    /// <summary>MAX_NUMNODES: 64 on x86 (NUMA), 1 on arm.</summary>
    public const uint MaxNumNodesX86 = 64, MaxNumNodesArm = 1;

    public static int MaxOrderFor(Domain caller)
    {
        int order = DomUMaxOrder;
        if (caller.IsPrivileged && order < CtlDomMaxOrder) order = CtlDomMaxOrder;
        if (caller.IsHardware && order < HwDomMaxOrder) order = HwDomMaxOrder;
        return order < MaxOrder ? order : MaxOrder;
    }

    struct Args
    {
        public Domain Domain;
        public ulong List, NrExtents, Done;
        public int Order;
        public uint Width;
        /// <summary>Allocate below this machine frame (address_bits), or any.</summary>
        public ulong Limit;
        public bool ExactNode, PopulateOnDemand, Preempted;
        public uint Node;
    }

    public static long Handle(Vcpu v, int op, ulong start, ulong arg, bool compat)
    {
        XenMemoryReservation r;
        if (ReadReservation(v, arg, compat, out r) != 0) return (long)start;
        if (r.NrExtents > (uint.MaxValue >> XenMem.ExtentShift)) return (long)start;
        if (start >= r.NrExtents) return (long)start;
        Domain d = v.Hv.LookupOrSelf(v, r.DomId);
        if (d == null) return (long)start;
        var a = new Args { Domain = d, List = r.ExtentStart, NrExtents = r.NrExtents, Order = (int)r.ExtentOrder, Width = GuestArray.Width(compat), Done = start, Limit = ulong.MaxValue };
        if (r.ExtentOrder > 63 || !FromFlags(v, r.MemFlags, ref a)) return (long)start;
        if (op == XenMem.PopulatePhysmap && (r.MemFlags & XenMemF.PopulateOnDemand) != 0) a.PopulateOnDemand = true;
        if (v.Hv.Xsm.MemoryAdjustReservation(v.Domain, d) != 0) return (long)start;

        switch (op)
        {
            case XenMem.IncreaseReservation: Increase(v, ref a); break;
            case XenMem.DecreaseReservation: Decrease(v, ref a); break;
            default: Populate(v, ref a); break;
        }
        if (a.Preempted) return MemoryOp.Continue(v, op, a.Done, arg);
        return (long)a.Done;
    }

    internal static int ReadReservation(Vcpu v, ulong addr, bool compat, out XenMemoryReservation r)
    {
        r = default;
        if (!compat) return GuestMemory.Read(v, addr, out r);
        if (GuestMemory.Read(v, addr, out XenMemoryReservationCompat c) != 0) return -Errno.EFAULT;
        r = new XenMemoryReservation { ExtentStart = c.ExtentStart, NrExtents = c.NrExtents, ExtentOrder = c.ExtentOrder, MemFlags = c.MemFlags, DomId = c.DomId };
        return 0;
    }

    /// <summary>Xen's construct_memop_from_reservation: address bits and NUMA node; false when they are unusable.</summary>
    static bool FromFlags(Vcpu v, uint flags, ref Args a)
    {
        uint bits = flags & XenMemF.AddressBitsMask;
        MachineMemory mem = v.Hv.Memory;
        if (bits != 0 && bits < OrderOfPages(mem.MaxPage) + Page.Shift)
        {
            if (bits <= Page.Shift) return false;
            a.Limit = 1UL << (int)(bits - Page.Shift);
        }
        // No domain has a virtual NUMA topology here, so vnode requests fall back to any node.
        if ((flags & XenMemF.Vnode) != 0) return true;
        return PropagateNode(v, flags, ref a.ExactNode, ref a.Node);
    }

    /// <summary>Xen's propagate_node: only the hardware or control domain may name a node; others may not insist on one.</summary>
    internal static bool PropagateNode(Vcpu v, uint flags, ref bool exact, ref uint node)
    {
        uint n = XenMemF.GetNode(flags);
        if (n == XenMemF.NoNode) return true;
        Domain caller = v.Domain;
        if (caller.IsHardware || caller.IsPrivileged)
        {
            uint max = v.Mode == GuestMode.Arm ? MaxNumNodesArm : MaxNumNodesX86;
            if (n >= max) return false;
            node = n;
            exact = (flags & XenMemF.ExactNodeRequest) != 0;
        }
        else if ((flags & XenMemF.ExactNodeRequest) != 0) return false;
        return true;
    }

    static uint OrderOfPages(ulong pages)
    {
        uint order = 0;
        while ((1UL << (int)order) < pages) order++;
        return order;
    }

    /// <summary>The machine has one node (0): an exact request for any other cannot be met.</summary>
    static bool NodeUnavailable(in Args a) => a.ExactNode && a.Node != 0;

    static void Increase(Vcpu v, ref Args a)
    {
        if (a.List != 0 && !GuestArray.SubrangeOkay(v, a.List, a.Done, a.NrExtents - 1, a.Width)) return;
        if (a.Order > MaxOrderFor(v.Domain)) return;
        ulong i = a.Done;
        for (; i < a.NrExtents; i++)
        {
            if (i != a.Done && Continuation.PreemptCheck(v)) { a.Preempted = true; break; }
            if (NodeUnavailable(a)) break;
            Mfn mfn = DomainPages.AllocateExtent(a.Domain, a.Order, a.Limit);
            if (!mfn.IsValid) break;
            // PV guests learn the machine frame; translated guests only see their reservation grow.
            if (!Physmap.IsTranslated(a.Domain) && a.List != 0 && GuestArray.Write(v, a.List, i, a.Width, mfn.Value) != 0) break;
        }
        a.Done = i;
    }

    static void Populate(Vcpu v, ref Args a)
    {
        if (!GuestArray.SubrangeOkay(v, a.List, a.Done, a.NrExtents - 1, a.Width)) return;
        if (a.Order > (a.PopulateOnDemand ? MaxOrder : MaxOrderFor(v.Domain))) return;
        Domain d = a.Domain;
        ulong i = a.Done;
        for (; i < a.NrExtents; i++)
        {
            if (i != a.Done && Continuation.PreemptCheck(v)) { a.Preempted = true; break; }
            if (GuestArray.Read(v, a.List, i, a.Width, out ulong gpfn) != 0) break;
            // Populate-on-demand is not modelled: it may never target oneself, and otherwise fails too.
            if (a.PopulateOnDemand) break;
            if (NodeUnavailable(a)) break;
            Mfn mfn = DomainPages.AllocateExtent(d, a.Order, a.Limit);
            if (!mfn.IsValid) break;
            ulong pages = 1UL << a.Order;
            bool ok = true;
            for (ulong j = 0; j < pages && ok; j++)
                ok = Physmap.AddOwn(d, new Gfn(gpfn + j), new Mfn(mfn.Value + j)) == 0;
            if (!ok)
            {
                for (ulong j = 0; j < pages; j++)
                    if (d.Hv.Memory.GfnOf(new Mfn(mfn.Value + j)) == MachineMemory.NoGfn) DomainPages.Put(d.Hv, new Mfn(mfn.Value + j));
                break;
            }
            if (!Physmap.IsTranslated(d) && GuestArray.Write(v, a.List, i, a.Width, mfn.Value) != 0) break;
        }
        a.Done = i;
    }

    static void Decrease(Vcpu v, ref Args a)
    {
        if (!GuestArray.SubrangeOkay(v, a.List, a.Done, a.NrExtents - 1, a.Width) || a.Order > MaxOrderFor(v.Domain)) return;
        ulong i = a.Done;
        for (; i < a.NrExtents; i++)
        {
            if (i != a.Done && Continuation.PreemptCheck(v)) { a.Preempted = true; break; }
            if (GuestArray.Read(v, a.List, i, a.Width, out ulong gmfn) != 0) break;
            bool ok = true;
            for (ulong j = 0; j < (1UL << a.Order) && ok; j++)
                ok = Physmap.GuestRemovePage(a.Domain, gmfn + j) == 0;
            if (!ok) break;
        }
        a.Done = i;
    }

    /// <summary>claim_pages: a reservation with no list, order 0 and no flags; nr_extents is the total to claim (0 cancels).</summary>
    public static long Claim(Vcpu v, ulong arg, bool compat)
    {
        if (ReadReservation(v, arg, compat, out XenMemoryReservation r) != 0) return -Errno.EFAULT;
        if (r.ExtentStart != 0 || r.ExtentOrder != 0 || r.MemFlags != 0) return -Errno.EINVAL;
        // rcu_lock_domain_by_id: DOMID_SELF is not a domain here.
        Domain d = v.Hv.Lookup(r.DomId);
        if (d == null) return -Errno.EINVAL;
        int rc = v.Hv.Xsm.ClaimPages(v.Domain, d);
        if (rc == 0 && d.State == DomainState.Dying) rc = -Errno.EINVAL;
        if (rc == 0) rc = DomainPages.SetClaim(d, r.NrExtents);
        return rc;
    }
}

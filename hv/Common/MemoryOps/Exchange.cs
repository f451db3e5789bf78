using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.MemoryOps;

/// <summary>
/// XENMEM_exchange: trades input extents for freshly allocated output extents, chunk by
/// chunk. nr_exchanged (which the caller must zero) reports how many input extents were
/// traded, also when a chunk fails or the call is preempted.
/// </summary>
public static class Exchange
{
    public static long Handle(Vcpu v, ulong arg, bool compat)
    {
        XenMemoryExchange x;
        if (Read(v, arg, compat, out x) != 0) return -Errno.EFAULT;
        uint width = GuestArray.Width(compat);
        long rc = Run(v, ref x, width, arg, compat, out bool preempted);
        if (preempted) return rc;
        if (WriteExchanged(v, arg, compat, x.NrExchanged) != 0) rc = -Errno.EFAULT;
        return rc;
    }

    static long Run(Vcpu v, ref XenMemoryExchange x, uint width, ulong arg, bool compat, out bool preempted)
    {
        preempted = false;
        int inOrder = (int)x.In.ExtentOrder, outOrder = (int)x.Out.ExtentOrder;
        if ((x.In.ExtentOrder > x.Out.ExtentOrder ? x.In.ExtentOrder : x.Out.ExtentOrder) > (uint)Reservation.MaxOrderFor(v.Domain))
            return -Errno.EPERM;
        ulong longMax = compat ? uint.MaxValue : ulong.MaxValue;
        if (x.NrExchanged > x.In.NrExtents || x.In.DomId != x.Out.DomId ||
            (longMax >> inOrder) < x.In.NrExtents || (longMax >> outOrder) < x.Out.NrExtents ||
            (x.In.NrExtents << inOrder) != (x.Out.NrExtents << outOrder))
            return -Errno.EINVAL;
        if (x.NrExchanged == x.In.NrExtents) return 0;
        if (!GuestArray.SubrangeOkay(v, x.In.ExtentStart, x.NrExchanged, x.In.NrExtents - 1, width)) return -Errno.EFAULT;

        int inChunk, outChunk;
        ulong outFirst;
        if (inOrder <= outOrder)
        {
            inChunk = outOrder - inOrder;
            outChunk = 0;
            outFirst = x.NrExchanged >> inChunk;
        }
        else
        {
            inChunk = 0;
            outChunk = inOrder - outOrder;
            outFirst = x.NrExchanged << outChunk;
        }
        if (!GuestArray.SubrangeOkay(v, x.Out.ExtentStart, outFirst, x.Out.NrExtents - 1, width)) return -Errno.EFAULT;
        bool exact = false;
        uint node = 0;
        if (!Reservation.PropagateNode(v, x.Out.MemFlags, ref exact, ref node)) return -Errno.EINVAL;

        Domain d = v.Hv.LookupOrSelf(v, x.In.DomId);
        if (d == null) return -Errno.ESRCH;
        int xrc = v.Hv.Xsm.MemoryExchange(v.Domain, d);
        if (xrc != 0) return xrc;
        ulong limit = ulong.MaxValue;
        uint bits = x.Out.MemFlags & XenMemF.AddressBitsMask;
        if (bits != 0 && bits - Page.Shift < 64) limit = 1UL << (int)(bits - Page.Shift);

        ulong first = x.NrExchanged >> inChunk;
        ulong chunks = x.In.NrExtents >> inChunk;
        for (ulong i = first; i < chunks; i++)
        {
            if (i != first && Continuation.PreemptCheck(v))
            {
                x.NrExchanged = i << inChunk;
                if (WriteExchanged(v, arg, compat, x.NrExchanged) != 0) return -Errno.EFAULT;
                preempted = true;
                return MemoryOp.Continue(v, XenMem.Exchange, 0, arg);
            }
            long rc = OneChunk(v, d, in x, i, inChunk, outChunk, width, limit, exact && node != 0);
            if (rc != 0)
            {
                x.NrExchanged = i << inChunk;
                return rc;
            }
        }
        x.NrExchanged = x.In.NrExtents;
        return 0;
    }

    /// <summary>Frames a chunk can hold on the stack: every chunk an unprivileged caller can ask for
    /// (2^DomUMaxOrder pages in, at most as many extents out), 8 KiB in all.</summary>
    const int StackEntries = 1 << Reservation.DomUMaxOrder;

    /// <summary>Steals one chunk's input pages, allocates its output extents, then commits both; on failure nothing changes.</summary>
    /// <remarks>Allocates nothing on the heap (a guest can repeat this forever): the chunk's frame lists live on the
    /// stack, or, for the larger chunks only privileged callers may ask for (order above DomUMaxOrder), in hypervisor
    /// frames taken for the call and freed before it returns (Xen keeps them on page lists).</remarks>
    static unsafe long OneChunk(Vcpu v, Domain d, in XenMemoryExchange x, ulong i, int inChunk, int outChunk, uint width, ulong limit, bool noNode)
    {
        MachineMemory mem = d.Hv.Memory;
        ulong inPages = (1UL << inChunk) << (int)x.In.ExtentOrder;
        ulong outExtents = 1UL << outChunk;
        ulong* lists = stackalloc ulong[2 * StackEntries];
        Mfn scratch = Mfn.Invalid;
        ulong scratchFrames = 0;
        if (inPages > StackEntries || outExtents > StackEntries)
        {
            scratchFrames = ((inPages + outExtents) * sizeof(ulong) + Page.Size - 1) / Page.Size;
            scratch = mem.AllocateRun(DomId.Xen, scratchFrames);
            if (!scratch.IsValid) return -Errno.ENOMEM;
            lists = (ulong*)mem.Map(scratch);
        }
        long rc = OneChunk(v, d, in x, i, inChunk, outChunk, width, limit, noNode, lists, lists + (scratch.IsValid ? inPages : StackEntries));
        if (scratch.IsValid) FreeRun(mem, scratch, scratchFrames);
        return rc;
    }

    static unsafe long OneChunk(Vcpu v, Domain d, in XenMemoryExchange x, ulong i, int inChunk, int outChunk, uint width, ulong limit, bool noNode,
        ulong* taken, ulong* made)
    {
        MachineMemory mem = d.Hv.Memory;
        int inOrder = (int)x.In.ExtentOrder, outOrder = (int)x.Out.ExtentOrder;
        ulong n = 0;
        long rc = 0;
        for (ulong j = 0; j < (1UL << inChunk) && rc == 0; j++)
        {
            if (GuestArray.Read(v, x.In.ExtentStart, (i << inChunk) + j, width, out ulong gmfn) != 0) { rc = -Errno.EFAULT; break; }
            for (ulong k = 0; k < (1UL << inOrder); k++)
            {
                Mfn mfn = Physmap.Resolve(d, gmfn + k, out P2mType type);
                if (type != P2mType.RamRw || !mfn.IsValid) { rc = -Errno.EINVAL; break; }
                if (!Stealable(d, mfn) || Contains(taken, n, mfn.Value)) { rc = -Errno.EINVAL; break; }
                taken[n++] = mfn.Value;
            }
        }
        if (rc != 0) return rc;

        // Output pages are taken before the inputs go, so the domain needs headroom for one chunk.
        ulong outExtents = 1UL << outChunk;
        for (ulong j = 0; j < outExtents; j++)
        {
            Mfn m = noNode ? Mfn.Invalid : AllocateUncounted(d, outOrder, limit);
            if (!m.IsValid)
            {
                for (ulong k = 0; k < j; k++) FreeRun(mem, new Mfn(made[k]), 1UL << outOrder);
                return -Errno.ENOMEM;
            }
            made[j] = m.Value;
        }

        for (ulong k = 0; k < n; k++)
        {
            var mfn = new Mfn(taken[k]);
            if (Physmap.IsTranslated(d)) Physmap.Remove(d, new Gfn(mem.GfnOf(mfn)));
            else Physmap.RemoveMfn(d, mfn);
            mem.Free(mfn);
        }
        for (ulong j = 0; j < outExtents; j++)
        {
            var baseMfn = new Mfn(made[j]);
            ulong idx = (i << outChunk) + j;
            if (GuestArray.Read(v, x.Out.ExtentStart, idx, width, out ulong gpfn) != 0) { rc = -Errno.EFAULT; continue; }
            for (ulong k = 0; k < (1UL << outOrder); k++)
                if (Physmap.AddOwn(d, new Gfn(gpfn + k), new Mfn(baseMfn.Value + k)) != 0) rc = -Errno.EINVAL;
            if (!Physmap.IsTranslated(d) && GuestArray.Write(v, x.Out.ExtentStart, idx, width, baseMfn.Value) != 0) rc = -Errno.EFAULT;
        }
        return rc;
    }

    /// <summary>Xen's steal_page precondition: the domain's RAM, referenced only by its allocation.</summary>
    static bool Stealable(Domain d, Mfn mfn)
    {
        MachineMemory mem = d.Hv.Memory;
        return mem.OwnerOf(mfn) == d.Id && mem.KindOf(mfn) == FrameKind.DomHeap && mem.RefCount(mfn) == 1 && mem.TypeCount(mfn) == 0;
    }

    static unsafe bool Contains(ulong* list, ulong n, ulong value)
    {
        for (ulong k = 0; k < n; k++)
            if (list[k] == value) return true;
        return false;
    }

    /// <summary>An extent that replaces pages the domain already has: tot_pages is unchanged overall.</summary>
    static Mfn AllocateUncounted(Domain d, int order, ulong limit)
    {
        ulong pages = 1UL << order;
        ulong saveMax = d.MaxPages;
        d.MaxPages = d.TotPages + pages;
        Mfn m = DomainPages.AllocateExtent(d, order, limit);
        d.MaxPages = saveMax;
        if (m.IsValid) d.TotPages -= pages;
        return m;
    }

    static void FreeRun(MachineMemory mem, Mfn first, ulong count)
    {
        for (ulong k = 0; k < count; k++) mem.Free(new Mfn(first.Value + k));
    }

    static int Read(Vcpu v, ulong addr, bool compat, out XenMemoryExchange x)
    {
        x = default;
        if (!compat) return GuestMemory.Read(v, addr, out x);
        if (GuestMemory.Read(v, addr, out XenMemoryExchangeCompat c) != 0) return -Errno.EFAULT;
        x.In = new XenMemoryReservation { ExtentStart = c.In.ExtentStart, NrExtents = c.In.NrExtents, ExtentOrder = c.In.ExtentOrder, MemFlags = c.In.MemFlags, DomId = c.In.DomId };
        x.Out = new XenMemoryReservation { ExtentStart = c.Out.ExtentStart, NrExtents = c.Out.NrExtents, ExtentOrder = c.Out.ExtentOrder, MemFlags = c.Out.MemFlags, DomId = c.Out.DomId };
        x.NrExchanged = c.NrExchanged;
        return 0;
    }

    static int WriteExchanged(Vcpu v, ulong addr, bool compat, ulong value)
    {
        if (compat)
        {
            uint c = (uint)value;
            return GuestMemory.Write(v, addr + 40, in c);
        }
        return GuestMemory.Write(v, addr + 64, in value);
    }
}

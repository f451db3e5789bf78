using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Plugin.Argo;

/// <summary>XEN_ARGO_OP_register_ring and XEN_ARGO_OP_unregister_ring.</summary>
static unsafe class RingRegistration
{
    /// <summary>Registers (or re-registers) the caller's ring <c>aport</c> for one sender or any,
    /// on the <paramref name="npage"/> guest frames listed at <paramref name="gfnList"/>.</summary>
    public static long Register(Vcpu v, ulong regAddr, ulong gfnList, uint npage, uint flags)
    {
        if ((flags & ~ArgoAbi.RegisterFlagFailExist) != 0) return -Errno.EINVAL;
        ArgoRegisterRing reg;
        if (GuestMemory.Read(v, regAddr, out reg) != 0) return -Errno.EFAULT;
        // Room for a header, one payload slot and the slot that always stays free.
        if (reg.Len < ArgoAbi.MessageHeaderSize + 2 * ArgoAbi.MsgSlotSize || reg.Len > ArgoAbi.MaxRingSize ||
            reg.Len != ArgoAbi.RoundUp(reg.Len) || ArgoAbi.PagesFor(reg.Len) != npage || reg.Pad != 0)
            return -Errno.EINVAL;

        Domain d = v.Domain;
        Hypervisor hv = d.Hv;
        ArgoState state = ArgoState.Of(hv);
        Domain partner = null;
        int rc;
        if (reg.PartnerId == ArgoAbi.DomidAny)
        {
            rc = state.MacPermissive ? hv.Xsm.ArgoRegisterAnySource(d) : -Errno.EPERM;
            if (rc != 0) return rc;
        }
        else
        {
            partner = hv.Lookup(reg.PartnerId);
            if (partner == null) return -Errno.ESRCH;
            rc = hv.Xsm.ArgoRegisterSingleSource(d, partner);
            if (rc != 0) return rc;
        }

        ArgoDomain mine = state.For(d);
        if (mine == null) return -Errno.ENODEV;
        if (partner != null && state.For(partner) == null) return -Errno.ECONNREFUSED;

        ArgoRing ring = mine.Find(reg.Aport, reg.PartnerId);
        // Xen checks the limit before looking: a full domain cannot re-register either.
        if (mine.RingCount >= ArgoAbi.MaxRingsPerDomain) return -Errno.ENOSPC;
        if (ring == null)
        {
            ring = new ArgoRing(d, reg.Aport, reg.PartnerId);
            mine.Add(ring);
        }
        else if (ring.Len != 0)
        {
            // Re-registration keeps the size (pending waits depend on it).
            if ((flags & ArgoAbi.RegisterFlagFailExist) != 0 || ring.Len != reg.Len) return -Errno.EEXIST;
        }

        rc = TakePages(v, ring, gfnList, npage);
        if (rc != 0)
        {
            // As Xen: a failed (re-)registration leaves no ring behind.
            mine.Remove(ring);
            return rc;
        }

        uint tx = ring.GuestTxPtr;
        if (tx >= reg.Len || ArgoAbi.RoundUp(tx) != tx)
        {
            // A corrupt tx_ptr: restart after the reader's position, discarding what is unread.
            tx = ArgoAbi.RoundUp(ring.GuestRxPtr);
            if (tx >= reg.Len) tx = 0;
            ring.PublishTxPtr(tx);
        }
        ring.TxPtr = tx;
        ring.Len = reg.Len;
        return 0;
    }

    // Xen's find_ring_mfns: every listed frame must be the caller's writable RAM.
    static int TakePages(Vcpu v, ArgoRing ring, ulong gfnList, uint npage)
    {
        ring.ReleasePages();
        var mfns = new Mfn[npage];
        for (uint i = 0; i < npage; i++)
        {
            ulong gfn;
            int rc = GuestMemory.Read(v, gfnList + i * sizeof(ulong), out gfn) != 0 ? -Errno.EFAULT
                : ArgoRing.TakePage(v.Domain, gfn, out mfns[i]);
            if (rc == 0) continue;
            ArgoRing.PutPages(v.Hv, mfns, i);
            return rc;
        }
        ring.SetPages(mfns);
        return 0;
    }

    public static long Unregister(Vcpu v, ulong unregAddr)
    {
        ArgoUnregisterRing unreg;
        if (GuestMemory.Read(v, unregAddr, out unreg) != 0) return -Errno.EFAULT;
        if (unreg.Pad != 0) return -Errno.EINVAL;
        ArgoDomain mine = ArgoState.Of(v.Hv).For(v.Domain);
        if (mine == null) return -Errno.ENODEV;
        ArgoRing ring = mine.Find(unreg.Aport, unreg.PartnerId);
        if (ring == null) return -Errno.ENOENT;
        mine.Remove(ring);
        return 0;
    }
}

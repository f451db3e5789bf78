using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Hv.Common.Memory;

namespace XenLite.Plugin.Argo;

/// <summary>
/// A registered ring (Xen's argo_ring_info): the guest pages holding it, held with a writable
/// reference while registered, the hypervisor's private tx pointer, and the senders waiting
/// for space. Page 0 starts with the xen_argo_ring header (rx_ptr, tx_ptr); ring bytes follow
/// at offset 64. Messages are a 16-byte header plus payload, padded to 16-byte slots; one slot
/// always stays free so that rx_ptr == tx_ptr means empty.
/// </summary>
public sealed unsafe class ArgoRing
{
    public readonly Domain Owner;
    public readonly uint Aport;
    public readonly ushort Partner;
    /// <summary>Ring bytes (0 until registration completes).</summary>
    public uint Len;
    /// <summary>Where the next message goes. The guest's copy is read once, at registration; after that it is only written.</summary>
    public uint TxPtr;
    Mfn[] _mfns = new Mfn[0];

    readonly ushort[] _waiter = new ushort[ArgoAbi.MaxPendingPerRing];
    readonly uint[] _waitLen = new uint[ArgoAbi.MaxPendingPerRing];
    int _pending;

    public ArgoRing(Domain owner, uint aport, ushort partner)
    {
        Owner = owner;
        Aport = aport;
        Partner = partner;
    }

    public bool IsWildcard => Partner == ArgoAbi.DomidAny;
    public int PendingCount => _pending;

    /// <summary>Xen's find_ring_mfn: a page of the owner's own RAM, taken with a writable-type reference.</summary>
    public static int TakePage(Domain d, ulong gfn, out Mfn mfn)
    {
        mfn = Physmap.Resolve(d, gfn, out P2mType type);
        if (!mfn.IsValid || type != P2mType.RamRw || !DomainPages.Get(d, mfn)) return -Errno.EINVAL;
        if (!d.Hv.Memory.GetWritableType(mfn))
        {
            DomainPages.Put(d.Hv, mfn);
            return -Errno.EINVAL;
        }
        return 0;
    }

    /// <summary>Installs the pages taken for this ring, releasing any it held before.</summary>
    public void SetPages(Mfn[] mfns)
    {
        ReleasePages();
        _mfns = mfns;
    }

    public void ReleasePages()
    {
        PutPages(Owner.Hv, _mfns, (uint)_mfns.Length);
        _mfns = new Mfn[0];
    }

    /// <summary>Drops the references <see cref="TakePage"/> took on the first <paramref name="count"/> pages.</summary>
    public static void PutPages(Hypervisor hv, Mfn[] mfns, uint count)
    {
        for (uint i = 0; i < count; i++)
        {
            hv.Memory.PutWritableType(mfns[i]);
            DomainPages.Put(hv, mfns[i]);
        }
    }

    byte* Header => Owner.Hv.Memory.Map(_mfns[0]);

    /// <summary>The receiver's position, as the guest last wrote it (hostile: sanitized before use).</summary>
    public uint GuestRxPtr => *(uint*)Header;
    public uint GuestTxPtr => *(uint*)(Header + 4);

    public void PublishTxPtr(uint tx)
    {
        TxPtr = tx;
        *(uint*)(Header + 4) = tx;
    }

    /// <summary>The guest's rx_ptr made safe: slot-aligned and inside the ring.</summary>
    uint SanitizedRx()
    {
        uint rx = ArgoAbi.RoundUp(GuestRxPtr);
        return rx >= Len ? 0 : rx;
    }

    /// <summary>Xen's ringbuf_payload_space: the largest payload that fits now.</summary>
    public uint PayloadSpace()
    {
        if (Len == 0 || _mfns.Length == 0) return 0;
        long space = (long)SanitizedRx() - TxPtr;
        if (space <= 0) space += Len;
        space -= ArgoAbi.MessageHeaderSize + ArgoAbi.MsgSlotSize;
        return space < 0 ? 0 : (uint)space;
    }

    /// <summary>The largest payload this ring can ever take.</summary>
    public uint MaxMessageSize => Len - ArgoAbi.MessageHeaderSize - ArgoAbi.MsgSlotSize;

    /// <summary>
    /// Xen's ringbuf_insert: writes header and payload (gathered from the sender's iovs) and
    /// moves tx_ptr only when all of it is in, so a fault leaves no partial message visible.
    /// -EMSGSIZE when it can never fit, -EAGAIN when it does not fit now.
    /// </summary>
    public int Insert(Vcpu sender, uint srcAport, ArgoIov* iovs, uint niov, uint messageType, uint len)
    {
        if (Len <= ArgoAbi.MessageHeaderSize + ArgoAbi.RoundUp(len)) return -Errno.EMSGSIZE;
        uint rx = SanitizedRx();
        uint tx = TxPtr;
        long space = rx == tx ? Len : (long)rx - tx;
        if (space < 0) space += Len;
        if (ArgoAbi.RoundUp(len) + ArgoAbi.MessageHeaderSize >= space) return -Errno.EAGAIN;

        var mh = new ArgoMessageHeader { Len = len + ArgoAbi.MessageHeaderSize, MessageType = messageType };
        mh.Source.Aport = srcAport;
        mh.Source.DomainId = sender.Domain.Id;
        CopyIn(tx, (byte*)&mh, null, 0, ArgoAbi.MessageHeaderSize);
        tx += ArgoAbi.MessageHeaderSize;
        if (tx == Len) tx = 0;

        for (uint i = 0; i < niov; i++)
        {
            ulong buf = iovs[i].Handle;
            uint n = iovs[i].Len;
            if (n == 0) continue;
            if (!GuestMemory.RangeOkay(sender, buf, n)) return -Errno.EFAULT;
            uint tail = Len - tx;
            if (n > tail)
            {
                int rc = CopyIn(tx, null, sender, buf, tail);
                if (rc != 0) return rc;
                tx = 0;
                n -= tail;
                buf += tail;
            }
            int rc2 = CopyIn(tx, null, sender, buf, n);
            if (rc2 != 0) return rc2;
            tx += n;
            if (tx == Len) tx = 0;
        }
        tx = ArgoAbi.RoundUp(tx);
        if (tx >= Len) tx -= Len;
        PublishTxPtr(tx);
        return 0;
    }

    // Copies n bytes to ring offset `at` (page-crossing), from hypervisor memory or the sender's guest memory.
    int CopyIn(uint at, byte* src, Vcpu sender, ulong guestSrc, uint n)
    {
        ulong offset = ArgoAbi.RingHeaderSize + at;
        while (n != 0)
        {
            ulong page = offset >> Page.Shift;
            uint inPage = (uint)(offset & Page.Mask);
            uint chunk = (uint)Page.Size - inPage;
            if (chunk > n) chunk = n;
            if (page >= (ulong)_mfns.Length) return -Errno.ENOMEM;
            byte* dst = Owner.Hv.Memory.Map(_mfns[page]) + inPage;
            if (src != null)
            {
                for (uint i = 0; i < chunk; i++) dst[i] = src[i];
                src += chunk;
            }
            else
            {
                if (GuestMemory.CopyFrom(sender, guestSrc, dst, chunk) != 0) return -Errno.EFAULT;
                guestSrc += chunk;
            }
            offset += chunk;
            n -= chunk;
        }
        return 0;
    }

    /// <summary>Xen's pending_requeue: <paramref name="waiter"/> wants a signal when <paramref name="len"/>
    /// bytes fit (one entry per waiter, keeping the larger size); -EBUSY when too many wait.</summary>
    public int Requeue(ushort waiter, uint len)
    {
        for (int i = 0; i < _pending; i++)
        {
            if (_waiter[i] != waiter) continue;
            if (_waitLen[i] < len) _waitLen[i] = len;
            return 0;
        }
        if (_pending >= ArgoAbi.MaxPendingPerRing) return -Errno.EBUSY;
        _waiter[_pending] = waiter;
        _waitLen[_pending] = len;
        _pending++;
        return 0;
    }

    public void CancelPending(ushort waiter)
    {
        int i = 0;
        while (i < _pending)
        {
            if (_waiter[i] == waiter) RemovePendingAt(i);
            else i++;
        }
    }

    /// <summary>Xen's notify_ring + pending_find: signals (VIRQ_ARGO) each waiter whose size now fits.</summary>
    public void SignalWaiters(Hypervisor hv)
    {
        uint space = PayloadSpace();
        if (space == 0) return;
        int i = 0;
        while (i < _pending)
        {
            if (space < _waitLen[i])
            {
                i++;
                continue;
            }
            ushort waiter = _waiter[i];
            RemovePendingAt(i);
            Virqs.SendDomain(hv.Lookup(waiter), Virq.Argo);
        }
    }

    void RemovePendingAt(int i)
    {
        _pending--;
        _waiter[i] = _waiter[_pending];
        _waitLen[i] = _waitLen[_pending];
    }
}

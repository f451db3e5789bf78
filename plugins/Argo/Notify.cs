using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Plugin.Argo;

/// <summary>
/// XEN_ARGO_OP_notify: first signals the senders now able to write to the caller's rings, then
/// answers, for each xen_argo_ring_data_ent given, whether that ring exists, is shared or empty,
/// and whether space_required bytes fit (queueing a signal for later when they do not).
/// </summary>
static unsafe class Notify
{
    public static long Query(Vcpu v, ulong ringData)
    {
        ArgoState state = ArgoState.Of(v.Hv);
        ArgoDomain mine = state.For(v.Domain);
        if (mine == null) return -Errno.ENODEV;
        mine.SignalSpace();
        if (ringData == 0) return 0;

        ArgoRingData head;
        if (GuestMemory.Read(v, ringData, out head) != 0) return -Errno.EFAULT;
        if (head.Nent > ArgoAbi.MaxNotifyCount) return -Errno.EACCES;
        ulong ent = ringData + ArgoRingData.EntriesOffset;
        if (!GuestMemory.RangeOkay(v, ent, head.Nent * (ulong)sizeof(ArgoRingDataEnt))) return -Errno.EFAULT;
        for (uint i = 0; i < head.Nent; i++, ent += (ulong)sizeof(ArgoRingDataEnt))
        {
            int rc = Fill(v, state, ent);
            if (rc != 0) return rc;
        }
        return 0;
    }

    // Xen's fill_ring_data: only flags and max_message_size are written back.
    static int Fill(Vcpu v, ArgoState state, ulong entAddr)
    {
        ArgoRingDataEnt ent;
        if (GuestMemory.Read(v, entAddr, out ent) != 0) return -Errno.EFAULT;
        ent.Flags = 0;
        Domain me = v.Domain;
        Domain dst = v.Hv.Lookup(ent.Ring.DomainId);
        ArgoDomain target = state.For(dst);
        if (target != null)
        {
            // Nothing is told about rings the caller may not send to.
            int rc = v.Hv.Xsm.ArgoSend(me, dst);
            if (rc != 0) return rc;
            ArgoRing ring = target.FindByMatch(ent.Ring.Aport, me.Id);
            if (ring != null) Describe(ring, me.Id, ref ent);
        }
        if (GuestMemory.Write(v, entAddr + ArgoRingDataEnt.FlagsOffset, ent.Flags) != 0 ||
            GuestMemory.Write(v, entAddr + ArgoRingDataEnt.MaxMessageSizeOffset, ent.MaxMessageSize) != 0)
            return -Errno.EFAULT;
        return 0;
    }

    static void Describe(ArgoRing ring, ushort asker, ref ArgoRingDataEnt ent)
    {
        ent.Flags |= ArgoAbi.RingExists;
        ent.MaxMessageSize = ring.MaxMessageSize;
        if (ring.IsWildcard) ent.Flags |= ArgoAbi.RingShared;
        uint space = ring.PayloadSpace();
        if (ent.SpaceRequired > ent.MaxMessageSize)
        {
            ent.Flags |= ArgoAbi.RingEmsgsize;
        }
        else if (space >= ent.SpaceRequired)
        {
            ring.CancelPending(asker);
            ent.Flags |= ArgoAbi.RingSufficient;
        }
        else if (ring.Requeue(asker, ent.SpaceRequired) == -Errno.EBUSY)
        {
            ent.Flags |= ArgoAbi.RingEbusy;
        }
        if (space == ent.MaxMessageSize) ent.Flags |= ArgoAbi.RingEmpty;
    }
}

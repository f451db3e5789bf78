using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Events;

/// <summary>
/// Switching a domain to the FIFO ABI and growing its event array (Xen's
/// evtchn_fifo_init_control / expand_array / destroy).
/// </summary>
public static unsafe class FifoSetup
{
    /// <summary>
    /// Registers vCPU <paramref name="vcpu"/>'s control block at <paramref name="offset"/> in guest
    /// frame <paramref name="gfn"/>. The first call switches the domain to FIFO: ports already
    /// bound keep their pending state (re-raised once their event-array page exists) and get the
    /// default priority.
    /// </summary>
    public static int InitControl(Domain d, uint vcpu, ulong gfn, uint offset)
    {
        if (vcpu >= (uint)d.Vcpus.Length) return -Errno.ENOENT;
        if (offset > 4096 - (uint)sizeof(EvtchnFifoControlBlock)) return -Errno.EINVAL;
        if ((offset & 7) != 0) return -Errno.EINVAL;

        EventChannels e = d.Events;
        Vcpu v = d.Vcpus[vcpu];
        if (e.Fifo != null) return MapControlBlock(v, gfn, offset);

        uint previousLimit = e.AbiLimit;
        // Allocated once per domain and kept across EVTCHNOP_reset, so reset + init_control loops allocate nothing.
        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            uint[] tails = d.Vcpus[i].Events.FifoTail ??= new uint[EvtchnFifo.MaxQueues];
            for (int q = 0; q < tails.Length; q++) tails[q] = 0;
        }
        FifoDomain f = e.SpareFifo ?? new FifoDomain();
        e.SpareFifo = null;
        f.NumEvtchns = 0;
        for (int p = 0; p < f.Pages.Length; p++) f.Pages[p] = 0;
        e.Fifo = f;
        int rc = MapControlBlock(v, gfn, offset);
        if (rc < 0)
        {
            Destroy(d);
            return rc;
        }
        e.Ops = FifoPorts.Instance;
        SavePorts(e, previousLimit);
        return 0;
    }

    static int MapControlBlock(Vcpu v, ulong gfn, uint offset)
    {
        if (v.Events.FifoControlBlock != null) return -Errno.EINVAL;
        byte* page = GuestPage.Map(v.Domain, gfn);
        if (page == null) return -Errno.EINVAL;
        v.Events.FifoControlBlock = page + offset;
        return 0;
    }

    /// <summary>Xen's setup_ports: carry each bound port's 2-level pending bit over, at default priority.</summary>
    static void SavePorts(EventChannels e, uint previousLimit)
    {
        byte* pending = e.Domain.SharedInfo.PendingBits;
        for (uint port = 1; port < previousLimit && e.IsValid(port); port++)
        {
            ref EventChannel ch = ref e[port];
            if (GuestBits.Test(pending, port)) ch.FifoPending = true;
            ch.Priority = (byte)EvtchnFifo.PriorityDefault;
        }
    }

    /// <summary>Adds a page of event words; events raised while their page was missing are raised now.</summary>
    public static int ExpandArray(Domain d, ulong gfn)
    {
        EventChannels e = d.Events;
        FifoDomain f = e.Fifo;
        if (f == null) return -Errno.EOPNOTSUPP;
        uint slot = f.NumEvtchns / EvtchnFifo.WordsPerPage;
        if (slot >= EvtchnFifo.MaxArrayPages) return -Errno.ENOSPC;
        byte* page = GuestPage.Map(d, gfn);
        if (page == null) return -Errno.EINVAL;
        f.Pages[slot] = (ulong)page;
        uint port = f.NumEvtchns;
        f.NumEvtchns += EvtchnFifo.WordsPerPage;
        for (; port < f.NumEvtchns && e.IsValid(port); port++)
        {
            ref EventChannel ch = ref e[port];
            if (!ch.FifoPending) continue;
            ch.FifoPending = false;
            e.Ops.SetPending(e, d.Vcpus[ch.NotifyVcpu], port);
        }
        return 0;
    }

    /// <summary>Back to the 2-level ABI: forget control blocks and the event array; the objects stay for the next init.</summary>
    public static void Destroy(Domain d)
    {
        for (int i = 0; i < d.Vcpus.Length; i++) d.Vcpus[i].Events.FifoControlBlock = null;
        if (d.Events.Fifo != null) d.Events.SpareFifo = d.Events.Fifo;
        d.Events.Fifo = null;
        d.Events.Ops = TwoLevelPorts.Instance;
    }
}

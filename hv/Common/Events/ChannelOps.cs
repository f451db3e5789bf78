using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Events;

/// <summary>
/// The event-channel operations of Xen's event_channel.c, with its checks in its order and
/// its errno values. <c>caller</c> is the calling vCPU (Xen's current).
/// </summary>
public static class ChannelOps
{
    /// <summary>A port in <paramref name="d"/> that <paramref name="remoteDom"/> may bind to; DOMID_SELF names the caller.</summary>
    public static int AllocUnbound(Vcpu caller, Domain d, ushort remoteDom, out uint port)
    {
        port = 0;
        EventChannels e = d.Events;
        int rc = e.GetPort(0);
        if (rc < 0) return rc;
        uint p = (uint)rc;
        rc = d.Hv.Xsm.EvtchnUnbound(caller.Domain, d, p, remoteDom);
        if (rc == 0)
        {
            ref EventChannel ch = ref e[p];
            ch.State = ChannelState.Unbound;
            ch.RemoteDom = remoteDom == DomainIds.Self ? caller.Domain.Id : remoteDom;
            e.InitPort(p);
            port = p;
        }
        e.CheckFreePort((int)p);
        return rc;
    }

    /// <summary>
    /// Connects a new local port to <paramref name="remotePort"/> of <paramref name="rd"/>, which
    /// must be unbound and offered to the caller. The local port is raised once, since events sent
    /// to the unbound end were dropped.
    /// </summary>
    public static int BindInterdomain(Domain ld, Domain rd, uint remotePort, out uint localPort)
    {
        localPort = 0;
        EventChannels le = ld.Events, re = rd.Events;
        int rc = le.GetPort(0);
        if (rc < 0) return rc;
        uint lport = (uint)rc;
        rc = 0;
        if (!re.IsValid(remotePort)) rc = -Errno.EINVAL;
        else
        {
            ref EventChannel r = ref re[remotePort];
            if (r.State != ChannelState.Unbound || r.RemoteDom != ld.Id) rc = -Errno.EINVAL;
            else rc = ld.Hv.Xsm.EvtchnInterdomain(ld, lport, rd, remotePort);
        }
        if (rc == 0)
        {
            ref EventChannel l = ref le[lport];
            l.RemoteDom = rd.Id;
            l.RemotePort = remotePort;
            l.State = ChannelState.Interdomain;
            le.InitPort(lport);
            ref EventChannel r = ref re[remotePort];
            r.RemoteDom = ld.Id;
            r.RemotePort = lport;
            r.State = ChannelState.Interdomain;
            le.SetPending(l.NotifyVcpu, lport);
            localPort = lport;
        }
        le.CheckFreePort((int)lport);
        return rc;
    }

    /// <summary>Binds a VIRQ: per-vCPU ones on any vCPU, others on vCPU 0 and (global ones) only in their handler domain.</summary>
    public static int BindVirq(Vcpu caller, uint virq, uint vcpu, out uint port)
    {
        port = 0;
        Domain d = caller.Domain;
        if (virq >= Virq.NrVirqs) return -Errno.EINVAL;
        VirqType type = Virqs.TypeOf(virq);
        if (type != VirqType.Vcpu && vcpu != 0) return -Errno.EINVAL;
        if (vcpu >= (uint)d.Vcpus.Length) return -Errno.ENOENT;
        Vcpu v = d.Vcpus[vcpu];
        if (type == VirqType.Global && d.Hv.GlobalVirqs.HandlerOf(virq) != d) return -Errno.EBUSY;
        if (v.Events.VirqToPort[virq] != 0) return -Errno.EEXIST;

        EventChannels e = d.Events;
        int rc = e.GetPort(0);
        if (rc < 0) return rc;
        uint p = (uint)rc;
        ref EventChannel ch = ref e[p];
        ch.State = ChannelState.Virq;
        ch.NotifyVcpu = (ushort)vcpu;
        ch.Virq = virq;
        e.InitPort(p);
        v.Events.VirqToPort[virq] = p;
        port = p;
        return 0;
    }

    /// <summary>An inter-processor event within the caller's domain, delivered to <paramref name="vcpu"/>.</summary>
    public static int BindIpi(Vcpu caller, uint vcpu, out uint port)
    {
        port = 0;
        Domain d = caller.Domain;
        if (vcpu >= (uint)d.Vcpus.Length) return -Errno.ENOENT;
        EventChannels e = d.Events;
        int rc = e.GetFreePort();
        if (rc < 0) return rc;
        uint p = (uint)rc;
        ref EventChannel ch = ref e[p];
        ch.State = ChannelState.Ipi;
        ch.NotifyVcpu = (ushort)vcpu;
        e.InitPort(p);
        port = p;
        return 0;
    }

    /// <summary>
    /// Xen's evtchn_close: frees the port; the peer of an interdomain channel goes back to
    /// unbound (offered to this domain again), a VIRQ is unbound from its vCPU.
    /// </summary>
    public static int Close(Domain d1, uint port1)
    {
        EventChannels e1 = d1.Events;
        if (!e1.IsValid(port1)) return -Errno.EINVAL;
        ref EventChannel ch = ref e1[port1];
        switch (ch.State)
        {
            case ChannelState.Free:
            case ChannelState.Reserved:
            case ChannelState.Pirq:   // never bound here: no PIRQs without passthrough
                return -Errno.EINVAL;
            case ChannelState.Unbound:
            case ChannelState.Ipi:
                break;
            case ChannelState.Virq:
            {
                int owner = Virqs.TypeOf(ch.Virq) != VirqType.Vcpu ? 0 : ch.NotifyVcpu;
                d1.Vcpus[owner].Events.VirqToPort[ch.Virq] = 0;
                break;
            }
            case ChannelState.Interdomain:
            {
                Domain d2 = d1.Hv.Lookup(ch.RemoteDom);
                uint port2 = ch.RemotePort;
                e1.Free(port1);
                if (d2 != null && d2.Events != null)
                {
                    ref EventChannel peer = ref d2.Events[port2];
                    peer.State = ChannelState.Unbound;
                    peer.RemoteDom = d1.Id;
                }
                return 0;
            }
        }
        e1.Free(port1);
        return 0;
    }

    /// <summary>Xen's evtchn_send: raise the peer (interdomain) or ourselves (IPI); unbound ports drop it.</summary>
    public static int Send(Domain ld, uint lport)
    {
        EventChannels le = ld.Events;
        if (!le.IsValid(lport)) return -Errno.EINVAL;
        int rc = ld.Hv.Xsm.EvtchnSend(ld, lport);
        if (rc != 0) return rc;
        ref EventChannel ch = ref le[lport];
        switch (ch.State)
        {
            case ChannelState.Interdomain:
            {
                Domain rd = ld.Hv.Lookup(ch.RemoteDom);
                if (rd == null || rd.Events == null) return 0;
                EventChannels re = rd.Events;
                re.SetPending(re[ch.RemotePort].NotifyVcpu, ch.RemotePort);
                return 0;
            }
            case ChannelState.Ipi:
                le.SetPending(ch.NotifyVcpu, lport);
                return 0;
            case ChannelState.Unbound:
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /// <summary>Xen's evtchn_status, filling the caller's struct.</summary>
    public static int Status(Vcpu caller, Domain d, ref EvtchnStatus s)
    {
        EventChannels e = d.Events;
        uint port = s.Port;
        if (!e.IsValid(port)) return -Errno.EINVAL;
        int rc = d.Hv.Xsm.EvtchnStatus(caller.Domain, d, port);
        if (rc != 0) return rc;
        ref EventChannel ch = ref e[port];
        switch (ch.State)
        {
            case ChannelState.Unbound:
                s.Status = EvtchnStat.Unbound;
                s.RemoteDom = ch.RemoteDom;
                break;
            case ChannelState.Interdomain:
                s.Status = EvtchnStat.Interdomain;
                s.RemoteDom = ch.RemoteDom;
                s.RemotePort = ch.RemotePort;
                break;
            case ChannelState.Virq:
                s.Status = EvtchnStat.Virq;
                s.Irq = ch.Virq;
                break;
            case ChannelState.Ipi:
                s.Status = EvtchnStat.Ipi;
                break;
            default:
                s.Status = EvtchnStat.Closed;
                break;
        }
        s.Vcpu = ch.NotifyVcpu;
        return 0;
    }

    /// <summary>Xen's evtchn_bind_vcpu: re-targets unbound, interdomain and non-per-vCPU VIRQ ports.</summary>
    public static int BindVcpu(Domain d, uint port, uint vcpu)
    {
        if (vcpu >= (uint)d.Vcpus.Length) return -Errno.ENOENT;
        EventChannels e = d.Events;
        if (!e.IsValid(port)) return -Errno.EINVAL;
        ref EventChannel ch = ref e[port];
        switch (ch.State)
        {
            case ChannelState.Virq:
                if (Virqs.TypeOf(ch.Virq) == VirqType.Vcpu) return -Errno.EINVAL;
                ch.NotifyVcpu = (ushort)vcpu;
                return 0;
            case ChannelState.Unbound:
            case ChannelState.Interdomain:
                ch.NotifyVcpu = (ushort)vcpu;
                return 0;
            default:
                return -Errno.EINVAL;
        }
    }

    public static int Unmask(Domain d, uint port)
    {
        EventChannels e = d.Events;
        if (!e.IsValid(port)) return -Errno.EINVAL;
        e.Unmask(port);
        return 0;
    }

    /// <summary>
    /// Xen's evtchn_reset: closes every port of <paramref name="d"/> (preemptibly: -ERESTART
    /// leaves the progress in NextReset for EVTCHNOP_reset_cont) and returns it to the 2-level
    /// ABI. Another domain must be paused by its controller, which nothing does yet: -EINVAL.
    /// </summary>
    public static int Reset(Vcpu caller, Domain d, bool resuming)
    {
        if (d != caller.Domain) return -Errno.EINVAL;
        EventChannels e = d.Events;
        uint i = resuming ? e.NextReset : (e.NextReset == 0 ? 1u : 0u);
        if (i > e.NextReset) e.NextReset = i;
        if (i == 0) return -Errno.EBUSY;
        for (; e.IsValid(i) && e.ActivePorts > 0; i++)
        {
            Close(d, i);
            if ((i & 0x3f) == 0 && Dispatch.Continuation.PreemptCheck(caller))
            {
                e.NextReset = i;
                return -Errno.ERESTART;
            }
        }
        e.NextReset = 0;
        if (e.ActivePorts > 0) return -Errno.EAGAIN;
        if (e.Fifo != null) FifoSetup.Destroy(d);
        return 0;
    }

    /// <summary>Xen's evtchn_set_priority: -ENOSYS without FIFO, -EACCES for a port not bound.</summary>
    public static int SetPriority(Domain d, uint port, uint priority)
    {
        EventChannels e = d.Events;
        if (!e.IsValid(port)) return -Errno.EINVAL;
        if (!e.Ops.HasPriorities) return -Errno.ENOSYS;
        if (!e[port].Usable) return -Errno.EACCES;
        return e.Ops.SetPriority(e, port, priority);
    }
}

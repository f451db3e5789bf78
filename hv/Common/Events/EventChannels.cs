using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Events;

/// <summary>
/// A domain's event channels: the port table, grown in buckets of <see cref="PortsPerBucket"/>
/// as ports are allocated (Xen's valid_evtchns), the limits, the counters and the ABI in use.
/// </summary>
public sealed class EventChannels
{
    /// <summary>Xen's EVTCHNS_PER_BUCKET: a page of 64-byte struct evtchn.</summary>
    public const uint PortsPerBucket = 64;
    /// <summary>max_evtchn_port of a domain built without one (dom0less and xl default).</summary>
    public const uint DefaultMaxPort = 1023;
    /// <summary>max_evtchn_port of privileged domains: no limit below the ABI's (Xen clamps -1 to INT_MAX).</summary>
    public const uint UnlimitedMaxPort = int.MaxValue;

    public readonly Domain Domain;
    /// <summary>Xen's max_evtchn_port: the highest port this domain may allocate.</summary>
    public readonly uint MaxPort;
    public PortOps Ops = TwoLevelPorts.Instance;
    /// <summary>FIFO state once EVTCHNOP_init_control switched the domain to FIFO; null for 2-level.</summary>
    public FifoDomain Fifo;
    /// <summary>The FIFO state a reset left behind, reused by the next init_control (the image has no GC).</summary>
    public FifoDomain SpareFifo;
    /// <summary>HVM_PARAM_CALLBACK_IRQ: how an HVM domain's upcall is delivered (see <see cref="Upcall"/>).</summary>
    public CallbackVia Via;
    public ulong ViaValue;

    EventChannel[][] _buckets = new EventChannel[1][];
    uint _valid;
    uint _active;
    /// <summary>EVTCHNOP_reset progress (Xen's next_evtchn): 0 idle, else the next port to close.</summary>
    internal uint NextReset;

    public EventChannels(Domain d, uint maxPort)
    {
        Domain = d;
        MaxPort = maxPort > UnlimitedMaxPort ? UnlimitedMaxPort : maxPort;
        _buckets[0] = new EventChannel[PortsPerBucket];
        _valid = PortsPerBucket;
        // Port 0 is never handed out, and does not count as active.
        _buckets[0][0].State = ChannelState.Reserved;
    }

    /// <summary>Ports with table entries (a multiple of the bucket size).</summary>
    public uint ValidPorts => _valid;
    /// <summary>Ports in use (bound or unbound), Xen's active_evtchns.</summary>
    public uint ActivePorts => _active;

    /// <summary>The most ports the current ABI can name (Xen's max_evtchns).</summary>
    public uint AbiLimit => Fifo != null ? EvtchnFifo.NrChannels : Domain.SharedInfo.Layout.NrChannels2l;

    public bool IsValid(uint port) => port < _valid;

    public ref EventChannel this[uint port] => ref _buckets[port / PortsPerBucket][port % PortsPerBucket];

    /// <summary>Xen's evtchn_allocate_port: claims <paramref name="port"/>, growing the table up to it.</summary>
    public int Allocate(uint port)
    {
        if (port > MaxPort || port >= AbiLimit) return -Errno.ENOSPC;
        if (IsValid(port))
        {
            if (this[port].State != ChannelState.Free || Ops.IsBusy(this, port)) return -Errno.EBUSY;
        }
        else
        {
            while (port >= _valid)
            {
                int rc = Grow();
                if (rc != 0) return rc;
            }
        }
        _active++;
        return 0;
    }

    int Grow()
    {
        uint bucket = _valid / PortsPerBucket;
        if (bucket == (uint)_buckets.Length)
        {
            // Heap (never freed in the image): grow-only, bounded by AbiLimit ports per domain; closing ports does not shrink it.
            var bigger = new EventChannel[_buckets.Length * 2][];
            for (int i = 0; i < _buckets.Length; i++) bigger[i] = _buckets[i];
            _buckets = bigger;
        }
        if (Domain.Hv.Xsm.AllocSecurityEvtchns(Domain, _valid, PortsPerBucket) != 0) return -Errno.ENOMEM;
        var chans = new EventChannel[PortsPerBucket];
        _buckets[bucket] = chans;
        _valid += PortsPerBucket;
        return 0;
    }

    /// <summary>Xen's get_free_port: the lowest free port, allocated.</summary>
    public int GetFreePort()
    {
        if (Domain.State == DomainState.Dying) return -Errno.EINVAL;
        for (uint port = 0; port <= MaxPort; port++)
        {
            int rc = Allocate(port);
            if (rc == 0) return (int)port;
            if (rc != -Errno.EBUSY) return rc;
        }
        return -Errno.ENOSPC;
    }

    /// <summary>Port 0 asks for any free port, another number for that one (Xen's evtchn_get_port).</summary>
    public int GetPort(uint port)
    {
        if (port == 0) return GetFreePort();
        int rc = Allocate(port);
        return rc != 0 ? rc : (int)port;
    }

    /// <summary>Undoes the count of an allocation whose binding then failed (Xen's check_free_port).</summary>
    public void CheckFreePort(int port)
    {
        if (port >= 0 && IsValid((uint)port) && this[(uint)port].State == ChannelState.Free) _active--;
    }

    /// <summary>Xen's evtchn_free: drops any pending event and returns the port to the pool.</summary>
    public void Free(uint port)
    {
        ClearPending(port);
        _active--;
        ref EventChannel ch = ref this[port];
        ch.State = ChannelState.Free;
        ch.NotifyVcpu = 0;
        Domain.Hv.Xsm.EvtchnClosePost(Domain, port);
    }

    /// <summary>The ABI's per-port setup when a port is bound (FIFO: default priority).</summary>
    public void InitPort(uint port) => Ops.Init(this, port);

    /// <summary>Raises <paramref name="port"/> towards vCPU <paramref name="vcpu"/> (Xen's evtchn_port_set_pending).</summary>
    public void SetPending(uint vcpu, uint port)
    {
        if (this[port].Usable) Ops.SetPending(this, Domain.Vcpus[vcpu], port);
    }

    public void ClearPending(uint port)
    {
        if (this[port].Usable) Ops.ClearPending(this, port);
    }

    public void Unmask(uint port)
    {
        if (this[port].Usable) Ops.Unmask(this, port);
    }

    public bool IsPending(uint port) => IsValid(port) && this[port].Usable && Ops.IsPending(this, port);

    public bool IsMasked(uint port) => !IsValid(port) || !this[port].Usable || Ops.IsMasked(this, port);

    /// <summary>Xen's evtchn_port_poll: 1 pending, 0 bound and idle, -EINVAL no such usable port.</summary>
    public int Poll(uint port)
    {
        if (!IsValid(port) || !this[port].Usable) return -Errno.EINVAL;
        return Ops.IsPending(this, port) ? 1 : 0;
    }
}

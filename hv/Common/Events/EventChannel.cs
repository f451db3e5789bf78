namespace XenLite.Hv.Common.Events;

/// <summary>What a port is bound to (Xen's ECS_*).</summary>
public static class ChannelState
{
    public const byte Free = 0;
    public const byte Reserved = 1;
    public const byte Unbound = 2;
    public const byte Interdomain = 3;
    public const byte Pirq = 4;
    public const byte Virq = 5;
    public const byte Ipi = 6;
}

/// <summary>One event channel of a domain (Xen's struct evtchn, without the lock and XSM label).</summary>
public struct EventChannel
{
    public byte State;
    /// <summary>FIFO: an event raised while its event-array page was missing, re-raised when the page arrives.</summary>
    public bool FifoPending;
    /// <summary>FIFO priority (0 highest … 15 lowest).</summary>
    public byte Priority;
    /// <summary>FIFO: the queue the event was last linked on (Xen's fifo_lastq).</summary>
    public byte LastPriority;
    public ushort LastVcpu;
    /// <summary>The vCPU notified when the event is raised.</summary>
    public ushort NotifyVcpu;
    /// <summary>Unbound: the domain allowed to connect; interdomain: the peer domain.</summary>
    public ushort RemoteDom;
    /// <summary>Interdomain: the peer's port.</summary>
    public uint RemotePort;
    /// <summary>Virq: the VIRQ number.</summary>
    public uint Virq;

    /// <summary>Xen's evtchn_usable: bound to something a guest may see raised.</summary>
    public bool Usable => State > ChannelState.Reserved;
}

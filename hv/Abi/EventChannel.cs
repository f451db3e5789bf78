using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

// public event_channel.h. None of these structs holds a pointer or a long, and the only 64-bit
// fields sit at 8-byte offsets, so the 64-bit and the 32-bit (compat) layouts are the same.

/// <summary>event_channel_op commands (EVTCHNOP_*); reset_cont is Xen-internal (continuations).</summary>
public static class EvtchnOpCmd
{
    public const int BindInterdomain = 0;
    public const int BindVirq = 1;
    public const int BindPirq = 2;
    public const int Close = 3;
    public const int Send = 4;
    public const int Status = 5;
    public const int AllocUnbound = 6;
    public const int BindIpi = 7;
    public const int BindVcpu = 8;
    public const int Unmask = 9;
    public const int Reset = 10;
    public const int InitControl = 11;
    public const int ExpandArray = 12;
    public const int SetPriority = 13;
    public const int ResetCont = 14;
}

/// <summary>evtchn_status.status values (EVTCHNSTAT_*).</summary>
public static class EvtchnStat
{
    public const uint Closed = 0;
    public const uint Unbound = 1;
    public const uint Interdomain = 2;
    public const uint Pirq = 3;
    public const uint Virq = 4;
    public const uint Ipi = 5;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct EvtchnAllocUnbound
{
    [FieldOffset(0)] public ushort Dom;
    [FieldOffset(2)] public ushort RemoteDom;
    [FieldOffset(4)] public uint Port;
}

[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct EvtchnBindInterdomain
{
    [FieldOffset(0)] public ushort RemoteDom;
    [FieldOffset(4)] public uint RemotePort;
    [FieldOffset(8)] public uint LocalPort;
}

[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct EvtchnBindVirq
{
    [FieldOffset(0)] public uint Virq;
    [FieldOffset(4)] public uint Vcpu;
    [FieldOffset(8)] public uint Port;
}

[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct EvtchnBindPirq
{
    public const uint WillShare = 1;   // BIND_PIRQ__WILL_SHARE

    [FieldOffset(0)] public uint Pirq;
    [FieldOffset(4)] public uint Flags;
    [FieldOffset(8)] public uint Port;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct EvtchnBindIpi
{
    [FieldOffset(0)] public uint Vcpu;
    [FieldOffset(4)] public uint Port;
}

/// <summary>evtchn_close, evtchn_send and evtchn_unmask: one port.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct EvtchnPortArg
{
    [FieldOffset(0)] public uint Port;
}

/// <summary>evtchn_status; the union u is flattened: UnboundDom/InterdomainDom/Pirq/Virq share offset 16.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct EvtchnStatus
{
    [FieldOffset(0)] public ushort Dom;
    [FieldOffset(4)] public uint Port;
    [FieldOffset(8)] public uint Status;
    [FieldOffset(12)] public uint Vcpu;
    /// <summary>u.unbound.dom / u.interdomain.dom.</summary>
    [FieldOffset(16)] public ushort RemoteDom;
    /// <summary>u.pirq / u.virq (the same word as RemoteDom, read as 32 bits).</summary>
    [FieldOffset(16)] public uint Irq;
    /// <summary>u.interdomain.port.</summary>
    [FieldOffset(20)] public uint RemotePort;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct EvtchnBindVcpu
{
    [FieldOffset(0)] public uint Port;
    [FieldOffset(4)] public uint Vcpu;
}

[StructLayout(LayoutKind.Explicit, Size = 2)]
public struct EvtchnReset
{
    [FieldOffset(0)] public ushort Dom;
}

/// <summary>evtchn_op, the argument of the old event_channel_op_compat: a command, then the union.</summary>
[StructLayout(LayoutKind.Explicit, Size = 28)]
public unsafe struct EvtchnOp
{
    /// <summary>Where the union starts: the sub-op's argument as event_channel_op sees it.</summary>
    public const int UnionOffset = 4;

    [FieldOffset(0)] public uint Cmd;
    [FieldOffset(4)] public fixed byte U[24];
}

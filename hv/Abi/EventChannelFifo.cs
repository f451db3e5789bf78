using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>The FIFO event channel ABI (public event_channel.h): event word bits, priorities, limits.</summary>
public static class EvtchnFifo
{
    public const uint PriorityMax = 0;
    public const uint PriorityDefault = 7;
    public const uint PriorityMin = 15;
    public const int MaxQueues = (int)PriorityMin + 1;

    // Bits of an event word (event_word_t, 32 bits).
    public const int Pending = 31;
    public const int Masked = 30;
    public const int Linked = 29;
    public const int Busy = 28;

    public const int LinkBits = 17;
    public const uint LinkMask = (1u << LinkBits) - 1;
    public const uint NrChannels = 1u << LinkBits;
    public const uint WordsPerPage = 4096 / 4;
    public const uint MaxArrayPages = NrChannels / WordsPerPage;
}

/// <summary>The 2-level ABI's limit: (bits per xen_ulong_t)^2 ports.</summary>
public static class Evtchn2l
{
    public const uint NrChannels64 = 64 * 64;
    public const uint NrChannels32 = 32 * 32;
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
public unsafe struct EvtchnInitControl
{
    [FieldOffset(0)] public ulong ControlGfn;
    [FieldOffset(8)] public uint Offset;
    [FieldOffset(12)] public uint Vcpu;
    [FieldOffset(16)] public byte LinkBits;
    [FieldOffset(17)] public fixed byte Pad[7];
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct EvtchnExpandArray
{
    [FieldOffset(0)] public ulong ArrayGfn;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct EvtchnSetPriority
{
    [FieldOffset(0)] public uint Port;
    [FieldOffset(4)] public uint Priority;
}

/// <summary>evtchn_fifo_control_block: the ready bitmap (one bit per priority) and each queue's head port.</summary>
[StructLayout(LayoutKind.Explicit, Size = 72)]
public unsafe struct EvtchnFifoControlBlock
{
    public const int HeadOffset = 8;

    [FieldOffset(0)] public uint Ready;
    [FieldOffset(4)] public uint Rsvd;
    [FieldOffset(8)] public fixed uint Head[EvtchnFifo.MaxQueues];
}

using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>sched_op commands (public sched.h, SCHEDOP_*).</summary>
public static class SchedOpCmd
{
    public const int Yield = 0;
    public const int Block = 1;
    public const int Shutdown = 2;        // sched_shutdown_t
    public const int Poll = 3;            // sched_poll_t
    public const int RemoteShutdown = 4;  // sched_remote_shutdown_t
    public const int ShutdownCode = 5;    // sched_shutdown_t
    public const int Watchdog = 6;        // sched_watchdog_t
    public const int PinOverride = 7;     // sched_pin_override_t
}

/// <summary>Shutdown reasons (public sched.h, SHUTDOWN_*).</summary>
public static class ShutdownReason
{
    public const int Poweroff = 0;
    public const int Reboot = 1;
    public const int Suspend = 2;
    public const int Crash = 3;
    public const int Watchdog = 4;
    public const int SoftReset = 5;
    /// <summary>SHUTDOWN_MAX: the largest valid reason.</summary>
    public const int Max = 5;
}

/// <summary>sched_shutdown_t; same on every arch.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct SchedShutdown
{
    [FieldOffset(0)] public uint Reason;
}

/// <summary>sched_poll_t with a 64-bit guest handle (x86_64; arm, whose handles are always 64-bit).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct SchedPoll
{
    [FieldOffset(0)] public ulong Ports;   // guest handle to evtchn_port_t[]
    [FieldOffset(8)] public uint NrPorts;
    [FieldOffset(16)] public ulong Timeout;
}

/// <summary>sched_poll_t for 32-bit x86 callers: 32-bit handle, and uint64_t only 4-aligned.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct SchedPollCompat
{
    [FieldOffset(0)] public uint Ports;
    [FieldOffset(4)] public uint NrPorts;
    [FieldOffset(8)] public ulong Timeout;
}

/// <summary>sched_remote_shutdown_t; same on every arch.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct SchedRemoteShutdown
{
    [FieldOffset(0)] public ushort DomainId;
    [FieldOffset(4)] public uint Reason;
}

/// <summary>sched_watchdog_t; same on every arch.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct SchedWatchdog
{
    [FieldOffset(0)] public uint Id;
    [FieldOffset(4)] public uint Timeout;
}

/// <summary>sched_pin_override_t; same on every arch.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct SchedPinOverride
{
    [FieldOffset(0)] public int Pcpu;
}

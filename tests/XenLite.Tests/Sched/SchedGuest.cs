using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Sched;

/// <summary>Shared helpers for the scheduling hypercall tests: argument placement and mode lists.</summary>
public static class SchedGuest
{
    /// <summary>Where tests put a hypercall's argument struct (guest-physical).</summary>
    public const ulong ArgGpa = 0x2000;
    /// <summary>Where tests put poll port arrays (guest-physical).</summary>
    public const ulong PortsGpa = 0x3000;

    public static readonly GuestMode[] AllModes = { GuestMode.Pv32, GuestMode.Pv64, GuestMode.Hvm32, GuestMode.Hvm64, GuestMode.Arm };
    /// <summary>The modes set_timer_op is routed for (arm guests use vcpu_op instead).</summary>
    public static readonly GuestMode[] X86Modes = { GuestMode.Pv32, GuestMode.Pv64, GuestMode.Hvm32, GuestMode.Hvm64 };

    /// <summary>An address no guest of ours has memory at (beyond its RAM, below every mode's limits).</summary>
    public static ulong BadAddr(Domain d) => TestMachine.GuestAddr(d, 0x10_0000);

    /// <summary>sched_op(cmd, &amp;arg) with <paramref name="arg"/> placed in guest memory.</summary>
    public static long SchedOp<T>(this TestMachine m, Vcpu v, int cmd, T arg) where T : unmanaged
    {
        m.PokeStruct(v.Domain, ArgGpa, arg);
        return m.Call(v, HypercallNumber.SchedOp, (ulong)cmd, TestMachine.GuestAddr(v.Domain, ArgGpa));
    }

    /// <summary>Moves the hosted clock to <paramref name="ns"/> and lets the scheduler run its tick.</summary>
    public static void TickAt(this TestMachine m, ulong ns)
    {
        m.Platform.Now = ns;
        XenLite.Hv.Common.Sched.SchedTick.Run(m.Hv);
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Sysctl;

/// <summary>
/// XEN_SYSCTL_readconsole (Xen's read_console_ring) over <see cref="HvConsole"/>'s ring. Reading
/// starts at the consumer index (where the last clear left it, or the oldest byte still in the
/// ring), or at the caller's index when incremental and inside the ring; it copies up to count
/// bytes and reports count and the index it stopped at. Indices are 32-bit, as Xen's.
/// </summary>
public sealed unsafe class ConsoleRingReader
{
    ulong _cleared;

    public long Read(Vcpu caller, ref SysctlReadConsole op)
    {
        HvConsole con = caller.Hv.Console;
        ulong p = con.Produced;
        ulong c = _cleared;
        if (p - c > HvConsole.RingSize) c = p - HvConsole.RingSize;
        if (op.Incremental != 0)
        {
            uint c32 = (uint)c, p32 = (uint)p, idx = op.Index;
            bool inside = c32 <= p32 ? c32 < idx && idx <= p32 : c32 < idx || idx <= p32;
            if (inside) c = p - (p32 - idx);
        }
        uint max = op.Count, sofar = 0;
        while (c != p && sofar < max)
        {
            con.TryGetOutput(c, out byte b);
            if (GuestMemory.CopyTo(caller, op.Buffer + sofar, &b, 1) != 0) return -Errno.EFAULT;
            sofar++;
            c++;
        }
        if (op.Clear != 0) _cleared = p - c > HvConsole.RingSize ? p - HvConsole.RingSize : c;
        op.Count = sofar;
        op.Index = (uint)c;
        return 0;
    }
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Boot and world-switch timings in counter ticks (CNTPCT), filled by the image's Arm64Cpu (which
/// sees the instants around each entry) and the exit handlers; printed at shutdown with loglvl=all.
/// </summary>
public sealed class Arm64Counters
{
    /// <summary>Counter at the hypervisor's first instruction (reset is 0 under QEMU) and at the first guest entry.</summary>
    public ulong EntryCount;
    public ulong FirstGuestEntry;
    public ulong Hypercalls;
    public ulong Stage2Faults;
    /// <summary>HVC #0xEA1 exits and the ticks from each to the next guest entry (the hypervisor's share).</summary>
    public ulong HvcExits;
    public ulong HvcHandleTicks;
    /// <summary>Entry to entry around an HVC exit, guest time included (back-to-back hypercalls).</summary>
    public ulong HvcRoundTrips;
    public ulong HvcRoundTripTicks;

    public void Print(HvConsole c, Arm64Host host, ulong frequency)
    {
        c.Write("(XEN) counter: "); c.WriteDec(frequency); c.WriteLine(" Hz");
        ulong boot = FirstGuestEntry > EntryCount ? FirstGuestEntry - EntryCount : 0;
        c.Write("(XEN) counter at hypervisor entry "); c.WriteDec(EntryCount);
        c.Write(", at the guest's first instruction "); c.WriteDec(FirstGuestEntry);
        c.Write(" (+"); c.WriteDec(boot); c.Write(" ticks, "); c.WriteDec(Micros(boot, frequency)); c.WriteLine(" us)");
        c.Write("(XEN) HVC exits "); c.WriteDec(HvcExits);
        c.Write(", exit to next entry avg "); c.WriteDec(Average(HvcHandleTicks, HvcExits));
        c.Write(" ticks, entry to entry avg "); c.WriteDec(Average(HvcRoundTripTicks, HvcRoundTrips));
        c.WriteLine(" ticks");
        if (host == null) return;
        c.WriteLine("(XEN) exits by class:");
        for (int i = 0; i < host.ExitCounts.Length; i++)
        {
            if (host.ExitCounts[i] == 0) continue;
            c.Write("(XEN)   ");
            if (i < Ec.TableSize) c.WriteHex((ulong)i, 2);
            else c.Write(i == Arm64Host.IrqCount ? "irq" : "serror");
            c.Put((byte)' ');
            c.WriteDec(host.ExitCounts[i]);
            c.Put((byte)'\n');
        }
    }

    static ulong Average(ulong sum, ulong n) => n == 0 ? 0 : sum / n;

    static ulong Micros(ulong ticks, ulong hz) => hz == 0 ? 0 : ticks * 1000 / (hz / 1000 == 0 ? 1 : hz / 1000);
}

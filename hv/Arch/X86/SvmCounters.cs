using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Boot and world-switch timings in TSC cycles, filled by the image's X86Cpu (which sees the
/// instants around VMRUN) and the boot path; printed at shutdown with loglvl=all.
/// </summary>
public sealed class SvmCounters
{
    public ulong EntryTsc;
    public ulong FirstVmrunTsc;
    /// <summary>VMMCALL exits and the cycles from each such #VMEXIT to the next VMRUN (the hypervisor's share of a round trip).</summary>
    public ulong VmmcallExits;
    public ulong VmmcallHandleCycles;
    /// <summary>VMRUN to VMRUN around a VMMCALL exit, when the guest made back-to-back hypercalls (guest time included).</summary>
    public ulong VmmcallRoundTrips;
    public ulong VmmcallRoundTripCycles;

    public void Print(HvConsole c, SvmHost host, uint tscKhz)
    {
        c.Write("(XEN) TSC: "); c.WriteDec((ulong)tscKhz); c.WriteLine(" kHz");
        c.Write("(XEN) TSC at hypervisor entry "); c.WriteDec(EntryTsc);
        c.Write(", at the guest's first instruction "); c.WriteDec(FirstVmrunTsc);
        c.Write(" (+"); c.WriteDec(FirstVmrunTsc > EntryTsc ? FirstVmrunTsc - EntryTsc : 0); c.Write(" cycles, ");
        c.WriteDec(Micros(FirstVmrunTsc > EntryTsc ? FirstVmrunTsc - EntryTsc : 0, tscKhz)); c.WriteLine(" us)");
        c.Write("(XEN) VMMCALL exits "); c.WriteDec(VmmcallExits);
        c.Write(", exit to next VMRUN avg "); c.WriteDec(Average(VmmcallHandleCycles, VmmcallExits));
        c.Write(" cycles, VMRUN to VMRUN avg "); c.WriteDec(Average(VmmcallRoundTripCycles, VmmcallRoundTrips));
        c.WriteLine(" cycles");
        if (host == null) return;
        c.WriteLine("(XEN) exits by code:");
        for (int code = 0; code < host.ExitCounts.Length; code++)
        {
            if (host.ExitCounts[code] == 0) continue;
            c.Write("(XEN)   ");
            if (code < (int)SvmExit.TableSize) c.WriteHex((ulong)code, 3);
            else c.Write(code == (int)SvmExit.TableSize ? "npf" : "other");
            c.Write(" ");
            c.WriteDec(host.ExitCounts[code]);
            c.Put((byte)'\n');
        }
    }

    static ulong Average(ulong sum, ulong n) => n == 0 ? 0 : sum / n;

    static ulong Micros(ulong cycles, uint khz) => khz == 0 ? 0 : cycles * 1000 / khz;
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Dispatch;

/// <summary>
/// multicall (13): runs a guest array of hypercalls, writing each result back into its
/// entry. A failing entry does not stop later ones; a nested multicall is refused; a
/// preempted entry or a pending preemption continues the whole multicall from that entry.
/// </summary>
public static unsafe class Multicall
{
    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        ulong list = a[0];
        uint count = (uint)a[1];
        bool compat = GuestModes.Is32Bit(v.Mode);
        ulong size = compat ? (ulong)sizeof(MulticallEntryCompat) : (ulong)sizeof(MulticallEntry);

        // Xen refuses re-entry: a multicall inside a multicall gets -EINVAL in its entry.
        if (v.Call.InMulticall) return -Errno.EINVAL;
        if (!GuestMemory.RangeOkay(v, list, (ulong)count * size)) return -Errno.EFAULT;

        v.Call.InMulticall = true;
        long rc = 0;
        uint i = 0;
        for (; rc == 0 && i < count; i++)
        {
            if (i != 0 && Continuation.PreemptCheck(v)) break;
            ulong entryAddr = list + i * size;
            MulticallEntry e;
            if (ReadEntry(v, entryAddr, compat, out e) != 0) { rc = -Errno.EFAULT; break; }

            HypercallArgs args = default;
            for (int k = 0; k < HypercallArgs.Count; k++) args.Value[k] = e.Args[k];
            v.Call.MulticallEntryPreempted = false;
            long result = v.Hv.Dispatcher.Call(v, e.Op, ref args);
            e.Result = compat ? (uint)result : (ulong)result;

            if (WriteResult(v, entryAddr, compat, e.Result) != 0) { rc = -Errno.EFAULT; break; }
            if (v.Call.MulticallEntryPreempted)
            {
                // The entry continues where it stopped: its updated arguments go back to the guest.
                for (int k = 0; k < HypercallArgs.Count; k++) e.Args[k] = v.Call.ContinuationArgs.Value[k];
                e.Op = (ulong)v.Call.ContinuationOp;
                if (WriteEntry(v, entryAddr, compat, in e) != 0) { rc = -Errno.EFAULT; break; }
                break;
            }
        }
        v.Call.InMulticall = false;
        v.Call.MulticallEntryPreempted = false;

        if (rc != 0 || i == count) return rc;
        var rest = HypercallArgs.Of(list + i * size, count - i);
        return Continuation.Create(v, HypercallNumber.Multicall, in rest);
    }

    static int ReadEntry(Vcpu v, ulong addr, bool compat, out MulticallEntry e)
    {
        e = default;
        if (!compat) return GuestMemory.Read(v, addr, out e);
        int rc = GuestMemory.Read(v, addr, out MulticallEntryCompat c);
        if (rc != 0) return rc;
        e.Op = c.Op;
        e.Result = c.Result;
        for (int k = 0; k < 6; k++) e.Args[k] = c.Args[k];
        return 0;
    }

    static int WriteResult(Vcpu v, ulong addr, bool compat, ulong result)
    {
        if (compat)
        {
            uint r = (uint)result;
            return GuestMemory.CopyTo(v, addr + 4, &r, 4);
        }
        return GuestMemory.CopyTo(v, addr + 8, &result, 8);
    }

    static int WriteEntry(Vcpu v, ulong addr, bool compat, in MulticallEntry e)
    {
        if (!compat) return GuestMemory.Write(v, addr, in e);
        MulticallEntryCompat c = default;
        c.Op = (uint)e.Op;
        c.Result = (uint)e.Result;
        for (int k = 0; k < 6; k++) c.Args[k] = (uint)e.Args[k];
        return GuestMemory.Write(v, addr, in c);
    }
}

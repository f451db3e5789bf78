using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using L = XenLite.Plugin.Xenoprof.XenoprofBufLayout;

namespace XenLite.Plugin.Xenoprof;

/// <summary>
/// Writing samples into the shared rings (xenoprof_log_event, xenoprof_add_trace). The PMU's
/// overflow handler calls <see cref="Sample"/> for the vCPU that was running; the ring's head
/// and tail are read back from guest-writable memory and checked before use.
/// </summary>
public static unsafe class XenoprofSampler
{
    /// <summary>Sample mode: 0 user, 1 guest kernel, 2 hypervisor.</summary>
    public const int ModeUser = 0, ModeKernel = 1, ModeXen = 2;

    /// <summary>
    /// A counter overflowed while <paramref name="v"/> ran at <paramref name="pc"/>: log it, and
    /// tell an active guest to drain its ring (VIRQ_XENOPROF) unless the sample hit the hypervisor.
    /// Returns whether the sample was stored.
    /// </summary>
    public static bool Sample(Vcpu v, ulong pc, int mode, int counter)
    {
        XenoprofState x = XenoprofState.Of(v.Hv);
        if (x.Phase != XenoprofPhase.Profiling) return false;
        bool stored = Log(x, v, pc, mode, counter);
        XenoprofBuffers b = x.BuffersOf(v.Domain);
        if (b != null && b.Type == ProfiledAs.Active && mode != ModeXen) Virqs.SendVcpu(v, Virq.Xenoprof);
        return stored;
    }

    /// <summary>xenoprof_add_trace: one frame of a backtrace after <see cref="Sample"/> (the arch walks the frames).</summary>
    public static bool AddTrace(Vcpu v, ulong pc, int mode)
    {
        XenoprofState x = XenoprofState.Of(v.Hv);
        XenoprofBuffers b = x.BuffersOf(v.Domain);
        if (b == null) return false;
        // An escape code here would read as the start of a new trace.
        if (pc == XenoprofLimits.EscapeCode)
        {
            x.InvalidBufferSamples++;
            return false;
        }
        return Add(x, b, v.Id, pc, mode, 0);
    }

    static bool Log(XenoprofState x, Vcpu v, ulong pc, int mode, int evt)
    {
        x.TotalSamples++;
        XenoprofBuffers b = x.BuffersOf(v.Domain);
        if (b == null || b.Type == ProfiledAs.Ignored)
        {
            x.OthersSamples++;
            return false;
        }
        if (v.Id >= b.Nbuf)
        {
            x.InvalidBufferSamples++;
            return false;
        }
        byte* buf = b.Buffer(v.Id);
        if (x.BacktraceDepth > 0)
        {
            if (Space(*(int*)(buf + L.EventHead), *(int*)(buf + L.EventTail), b.EventSize) < 2)
            {
                (*(ulong*)(buf + L.LostSamples))++;
                x.LostSamples++;
                return false;
            }
            if (!Add(x, b, v.Id, XenoprofLimits.EscapeCode, mode, XenoprofLimits.TraceBegin)) return false;
        }
        if (!Add(x, b, v.Id, pc, mode, evt)) return false;
        if (b.Type == ProfiledAs.Active) x.ActiveSamples++;
        else x.PassiveSamples++;
        int field = mode == ModeUser ? L.UserSamples : mode == ModeKernel ? L.KernelSamples : L.XenSamples;
        (*(ulong*)(buf + field))++;
        return true;
    }

    /// <summary>xenoprof_buf_space: free slots in a ring that keeps one empty.</summary>
    static int Space(int head, int tail, int size) => (tail > head ? 0 : size) + tail - head - 1;

    static bool Add(XenoprofState x, XenoprofBuffers b, int vcpu, ulong pc, int mode, int evt)
    {
        byte* buf = b.Buffer(vcpu);
        int head = *(int*)(buf + L.EventHead);
        int tail = *(int*)(buf + L.EventTail);
        int size = b.EventSize;
        if (head < 0 || head >= size || tail < 0 || tail >= size)
        {
            x.CorruptedBufferSamples++;
            return false;
        }
        if (Space(head, tail, size) <= 0)
        {
            (*(ulong*)(buf + L.LostSamples))++;
            x.LostSamples++;
            return false;
        }
        byte* e = buf + L.EventLog + head * b.EntrySize;
        *(ulong*)(e + L.EntryEip) = pc;
        e[L.EntryMode] = (byte)mode;
        e[L.EntryEvent] = (byte)evt;
        head++;
        if (head >= size) head = 0;
        *(int*)(buf + L.EventHead) = head;
        return true;
    }
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Dispatch;

/// <summary>
/// Xen's hypercall_create_continuation: a long hypercall saves where it got to in its own
/// arguments and asks to be re-executed. Outside a multicall the gate writes them to the
/// guest's registers; inside one, multicall writes them into the current entry.
/// </summary>
public static class Continuation
{
    /// <returns>The hypercall number, which is what the guest's result register holds meanwhile.</returns>
    public static long Create(Vcpu v, int op, in HypercallArgs args)
    {
        v.Call.ContinuationOp = op;
        v.Call.ContinuationArgs = args;
        if (v.Call.InMulticall)
            v.Call.MulticallEntryPreempted = true;
        else
            v.Call.Preempted = true;
        return op;
    }

    /// <summary>Should a long hypercall stop here? (Xen's hypercall_preempt_check.)</summary>
    public static bool PreemptCheck(Vcpu v) => v.Hv.Platform.PreemptPending();
}

namespace XenLite.Hv.Dispatch;

/// <summary>The six argument registers of a hypercall, already truncated for 32-bit callers.</summary>
public unsafe struct HypercallArgs
{
    public const int Count = 6;
    public fixed ulong Value[Count];

    public ulong this[int i]
    {
        get => Value[i];
        set => Value[i] = value;
    }

    public static HypercallArgs Of(ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0)
    {
        HypercallArgs a = default;
        a.Value[0] = a0; a.Value[1] = a1; a.Value[2] = a2;
        a.Value[3] = a3; a.Value[4] = a4; a.Value[5] = a5;
        return a;
    }
}

/// <summary>A vCPU's hypercall bookkeeping: preemption and multicall state (Xen's mc_state).</summary>
public struct HypercallState
{
    /// <summary>The current hypercall created a continuation: re-enter it with <see cref="ContinuationArgs"/>.</summary>
    public bool Preempted;
    public int ContinuationOp;
    public HypercallArgs ContinuationArgs;

    /// <summary>Inside a multicall: continuations rewrite the current entry, not the registers.</summary>
    public bool InMulticall;
    public bool MulticallEntryPreempted;
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Tests.Dispatch;

/// <summary>
/// A stand-in for a long memory operation, shaped like Xen's memory_op: the low 6 bits of
/// cmd are the operation, the rest the extent to start from (MEMOP_EXTENT_SHIFT). Each
/// extent increments one 32-bit counter in a guest array; it checks for preemption between
/// extents and continues with the start encoded in cmd, as Xen's handlers do.
/// </summary>
public static unsafe class LongOpStandIn
{
    public const int ExtentShift = 6;
    public const ulong Op = 5;

    public static void Register(HandlerRegistry r) =>
        r.Add(HypercallNumber.MemoryOp, Variant.Do | Variant.Compat | Variant.Hvm, &Handle);

    static long Handle(Vcpu v, ref HypercallArgs a)
    {
        ulong cmd = a[0];
        if ((cmd & ((1UL << ExtentShift) - 1)) != Op) return -Errno.ENOSYS;
        ulong start = cmd >> ExtentShift;
        ulong array = a[1];
        ulong count = a[2];
        for (ulong i = start; i < count; i++)
        {
            if (i != start && Continuation.PreemptCheck(v))
            {
                var next = a;
                next[0] = (i << ExtentShift) | Op;
                return Continuation.Create(v, HypercallNumber.MemoryOp, in next);
            }
            ulong slot = array + i * 4;
            if (GuestMemory.Read(v, slot, out uint value) != 0) return -Errno.EFAULT;
            value++;
            if (GuestMemory.Write(v, slot, in value) != 0) return -Errno.EFAULT;
        }
        return (long)count;
    }
}

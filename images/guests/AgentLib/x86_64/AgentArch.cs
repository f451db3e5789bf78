// x86_64 facts for AgentLib: where the pending bits sit in shared_info, and a clock.
namespace XenLite.Guest
{
    public static class SharedInfoLayout
    {
        public const int PendingOffset = 2048;   // after 32 vcpu_info of 64 bytes (XEN_LEGACY_MAX_VCPUS 32)
    }

    public static unsafe class Clock
    {
        /// <summary>Xen's system time in ns (HVMOP_get_time).</summary>
        public static ulong Now()
        {
            ulong* t = (ulong*)Scratch.A(8);
            return Xen.Call(Nr.HvmOp, 10, (ulong)t) == 0 ? *t : 0;
        }
    }
}

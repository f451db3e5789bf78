// arm64 facts for AgentLib: shared_info has one vcpu_info (XEN_LEGACY_MAX_VCPUS 1 in
// arch-arm.h, 48 bytes), so the pending bits start at 48; there is no HVMOP_get_time on
// arm (guests use the generic timer), so the clock is CNTVCT in ns.
namespace XenLite.Guest
{
    public static class SharedInfoLayout
    {
        public const int PendingOffset = 48;
    }

    public static class Clock
    {
        public static ulong Now()
        {
            ulong ticks = AsmArm.Cntvct(), hz = AsmArm.Cntfrq();
            return ticks / hz * 1_000_000_000UL + ticks % hz * 1_000_000_000UL / hz;
        }
    }
}

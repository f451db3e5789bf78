// The numbers this guest needs, from Xen's public headers (xen.h, version.h,
// sched.h, features.h, errno.h). Kept here rather than taken from hv/Abi so the
// guest is an independent check of the hypervisor.
namespace XenLite.Guest
{
    public static class Hc
    {
        public const ulong SetTrapTable = 0, MmuUpdate = 1, SetGdt = 2, StackSwitch = 3, SetCallbacks = 4,
            FpuTaskswitch = 5, SchedOpCompat = 6, UpdateDescriptor = 10, Multicall = 13, UpdateVaMapping = 14,
            SetTimerOp = 15, XenVersion = 17, ConsoleIo = 18, VmAssist = 21, Iret = 23, SetSegmentBase = 25,
            SchedOp = 29, CallbackOp = 30, TmemOp = 38, Mca = 48;
    }

    public static class XenVer
    {
        public const ulong Version = 0, Extraversion = 1, CompileInfo = 2, Capabilities = 3, Changeset = 4,
            PlatformParameters = 5, GetFeatures = 6, Pagesize = 7, GuestHandle = 8, Commandline = 9,
            BuildId = 10, Extraversion2 = 11, Capabilities2 = 12, Changeset2 = 13, Commandline2 = 14;
    }

    public static class XenFeat
    {
        public const int WritablePageTables = 0, AutoTranslatedPhysmap = 2, HvmCallbackVector = 8,
            HvmSafePvclock = 9, Dom0 = 11, ArmSmcccSupported = 14;
    }

    public static class SchedOp
    {
        public const ulong Yield = 0, Block = 1, Shutdown = 2, Poll = 3, RemoteShutdown = 4, ShutdownCode = 5,
            Watchdog = 6, PinOverride = 7;
        public const uint Poweroff = 0, Crash = 3;
    }

    public static class ConsoleIo
    {
        public const ulong Write = 0, Read = 1;
    }

    public static class VmAssist
    {
        public const ulong Enable = 0, Disable = 1;
        public const ulong FourGbSegments = 0, RunstateUpdateFlag = 5;
    }

    public static class Errno
    {
        public const long EPERM = 1, ESRCH = 3, E2BIG = 7, EFAULT = 14, EINVAL = 22, ENOSYS = 38,
            ENODATA = 61, ENOBUFS = 105;
    }
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>The machine under the arm64 hypervisor; power-off is latched (<see cref="LatchingPlatform"/>) and the
/// image then calls PSCI SYSTEM_OFF (or the semihosting exit for a failure).</summary>
public abstract class Arm64Platform : LatchingPlatform
{
}

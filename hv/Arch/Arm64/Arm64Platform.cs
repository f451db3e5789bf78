using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The machine under the arm64 hypervisor. A power-off request is latched, not acted on at once:
/// the boot path finishes (counters, final line) and returns the status to the image, which
/// then calls PSCI SYSTEM_OFF (or the semihosting exit for a failure). The first request wins.
/// </summary>
public abstract class Arm64Platform : Platform
{
    public bool PowerOffRequested;
    public int PowerOffStatus;

    public override void PowerOff(int status)
    {
        if (PowerOffRequested) return;
        PowerOffRequested = true;
        PowerOffStatus = status;
    }
}

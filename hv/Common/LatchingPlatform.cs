namespace XenLite.Hv.Common;

/// <summary>
/// A machine under a booted hypervisor. A power-off request is latched, not acted on at once:
/// the boot path sees it, finishes (counters, final report) and hands the status back to the
/// image, which stops the machine. The first request wins, as the hardware domain's does in Xen.
/// </summary>
public abstract class LatchingPlatform : Platform
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

namespace XenLite.Hv.Common;

/// <summary>
/// What the core needs from the machine it runs on. The images implement it on real
/// hardware (hv/Arch/*); the hosted build implements it for tests (Hafnium's "fake arch").
/// </summary>
public abstract class Platform
{
    /// <summary>How this machine hands over to a kexec-loaded image; null when it cannot (the image sets it).</summary>
    public ImageHandoff Handoff;

    /// <summary>System time in nanoseconds since boot.</summary>
    public abstract ulong NowNs();

    /// <summary>One byte to the physical console (serial port, test capture).</summary>
    public abstract void ConsoleWrite(byte b);

    /// <summary>True when a long hypercall should stop and continue later (pending work).</summary>
    public abstract bool PreemptPending();

    /// <summary>The last domain is gone: stop the machine with a status.</summary>
    public abstract void PowerOff(int status);
}

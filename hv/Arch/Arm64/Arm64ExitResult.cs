namespace XenLite.Hv.Arch.Arm64;

/// <summary>What an exit handler tells the scheduler.</summary>
public enum Arm64ExitResult : byte
{
    /// <summary>Run the vCPU again.</summary>
    Resume,
    /// <summary>The vCPU waits (WFI, CPU_OFF): run something else.</summary>
    Blocked,
    /// <summary>A host interrupt was taken: the scheduler looks at timers and slices.</summary>
    HostEvent,
    /// <summary>The domain shut down or was destroyed: never run it again.</summary>
    DomainGone,
}

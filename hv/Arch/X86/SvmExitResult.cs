namespace XenLite.Hv.Arch.X86;

/// <summary>What the scheduler does after one #VMEXIT was handled.</summary>
public enum SvmExitResult : byte
{
    /// <summary>Run the same vCPU again.</summary>
    Resume,
    /// <summary>The vCPU waits (HLT) or went down; pick another.</summary>
    Blocked,
    /// <summary>A host interrupt/NMI/SMI/INIT took the CPU: let the host handle it, then resume.</summary>
    HostEvent,
    /// <summary>The domain crashed or shut down and no longer runs.</summary>
    DomainGone,
}

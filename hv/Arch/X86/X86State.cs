using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>What SVM keeps per domain: its ASID, nested page tables and debug-port line.</summary>
public sealed class X86DomainState
{
    public uint Asid;
    /// <summary>Top level of the nested page tables (N_CR3), a hypervisor-owned frame.</summary>
    public Mfn NptRoot = Mfn.Invalid;
    /// <summary>VMX: the tables are EPT (NptRoot is the EPT PML4) and this is the EPT pointer.</summary>
    public bool Ept;
    public ulong Eptp;
    /// <summary>Port 0xe9/0x12 output not yet ended by a newline (Xen's struct domain_console buffer).</summary>
    public readonly byte[] ConsoleLine = new byte[DebugConsole.LineSize];
    public int ConsoleLength;
}

/// <summary>What SVM keeps per vCPU: its VMCB page (under VMX also its VMCS).</summary>
public sealed unsafe class X86VcpuState
{
    public Mfn VmcbFrame = Mfn.Invalid;
    public Vmcb* Vmcb;
    /// <summary>Flush this ASID's TLB on the next VMRUN (first run, or after the nested tables lost a mapping).</summary>
    public bool FlushTlb = true;
    /// <summary>VMX: the VMCS frame (the VMCB page above stays the guest-state record the exit handlers edit).</summary>
    public Mfn VmcsFrame = Mfn.Invalid;
    /// <summary>VMX: the page of VM-entry/VM-exit MSR lists (<see cref="VmxMsrArea"/>) and its mapping.</summary>
    public Mfn MsrFrame = Mfn.Invalid;
    public VmxMsrEntry* MsrArea;
    /// <summary>VMX: VMLAUNCH done, so the next entry is VMRESUME.</summary>
    public bool Launched;
    /// <summary>VMX: the VM-exit instruction length of the exit being handled (0 under SVM: handlers use the known length).</summary>
    public uint ExitLength;
}

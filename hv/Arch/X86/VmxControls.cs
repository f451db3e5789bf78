namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Control words from the capability MSRs (SDM vol. 3, A.3–A.5): the low half of each MSR
/// has the bits that must be 1 (allowed-0 settings), the high half the bits that may be 1
/// (allowed-1 settings). A control word is what we want, plus what must be 1, less what may
/// not be 1; a wanted bit the CPU cannot give makes the whole backend unusable.
/// </summary>
public readonly struct VmxControls
{
    public readonly uint Pin, Proc, Proc2, Exit, Entry;

    public VmxControls(uint pin, uint proc, uint proc2, uint exit, uint entry)
    {
        Pin = pin; Proc = proc; Proc2 = proc2; Exit = exit; Entry = entry;
    }

    public static uint Adjust(ulong capability, uint wanted) => (wanted | (uint)capability) & (uint)(capability >> 32);

    /// <summary>True when every wanted bit is allowed to be 1.</summary>
    public static bool Allows(ulong capability, uint wanted) => (wanted & ~(uint)(capability >> 32)) == 0;

    // Pin: host interrupts and NMIs leave the guest. Proc: HLT, MWAIT and MONITOR exit, every
    // port exits (no I/O bitmaps), every MSR exits (no MSR bitmaps), secondary controls on.
    // CR3 loads and stores do not exit (EPT), where the CPU lets them be 0.
    public const uint WantedPin = VmxCtl.PinExternalInterrupt | VmxCtl.PinNmi;
    public const uint WantedProc = VmxCtl.ProcHlt | VmxCtl.ProcMwait | VmxCtl.ProcMonitor | VmxCtl.ProcUnconditionalIo | VmxCtl.ProcSecondary;
    public const uint WantedProc2 = VmxCtl.Proc2Ept | VmxCtl.Proc2Unrestricted | VmxCtl.Proc2Wbinvd;
    public const uint WantedExit = VmxCtl.ExitHost64 | VmxCtl.ExitSaveEfer | VmxCtl.ExitLoadEfer;
    public const uint WantedEntry = VmxCtl.EntryLoadEfer;

    /// <summary>The controls from the capability MSRs (TRUE_* when VMX_BASIC says they exist); false names the first missing feature.</summary>
    public static bool From(X86Cpu cpu, out VmxControls c, out string missing)
    {
        bool useTrue = (cpu.ReadMsr(VmxMsr.Basic) & VmxMsr.BasicTrueControls) != 0;
        ulong pin = cpu.ReadMsr(useTrue ? VmxMsr.TruePin : VmxMsr.Pin);
        ulong proc = cpu.ReadMsr(useTrue ? VmxMsr.TrueProc : VmxMsr.Proc);
        ulong exit = cpu.ReadMsr(useTrue ? VmxMsr.TrueExit : VmxMsr.Exit);
        ulong entry = cpu.ReadMsr(useTrue ? VmxMsr.TrueEntry : VmxMsr.Entry);
        c = default;
        missing = null;
        if (!Allows(pin, WantedPin)) missing = "external-interrupt and NMI exiting";
        else if (!Allows(proc, WantedProc)) missing = "HLT/MWAIT/MONITOR/unconditional I/O exiting or secondary controls";
        else if (!Allows(exit, WantedExit)) missing = "64-bit host and EFER save/load on exit";
        else if (!Allows(entry, WantedEntry)) missing = "EFER load on entry";
        if (missing != null) return false;
        ulong proc2 = cpu.ReadMsr(VmxMsr.Proc2);
        if (!Allows(proc2, VmxCtl.Proc2Ept)) { missing = "EPT"; return false; }
        if (!Allows(proc2, VmxCtl.Proc2Unrestricted)) { missing = "unrestricted guest"; return false; }
        // Optional, each only when the CPU allows it to be 1: TSC offsetting, and guest PAT (loaded
        // on entry, saved and the host's loaded on exit: all three or none, so the guest's PAT never
        // stays in force in the host). Without them the guest's TSC/PAT writes are kept, not applied.
        uint tsc = Allows(proc, VmxCtl.ProcTscOffset) ? VmxCtl.ProcTscOffset : 0;
        bool pat = Allows(entry, VmxCtl.EntryLoadPat) && Allows(exit, ExitPat);
        c = new VmxControls(Adjust(pin, WantedPin), Adjust(proc, WantedProc | tsc), Adjust(proc2, WantedProc2 & (uint)(proc2 >> 32)),
            Adjust(exit, WantedExit | (pat ? ExitPat : 0)), Adjust(entry, WantedEntry | (pat ? VmxCtl.EntryLoadPat : 0)));
        return true;
    }

    const uint ExitPat = VmxCtl.ExitSavePat | VmxCtl.ExitLoadPat;

    /// <summary>Guest RDTSC sees the host TSC plus the VMCS TSC offset.</summary>
    public bool OffsetsTsc => (Proc & VmxCtl.ProcTscOffset) != 0;

    /// <summary>VM entry loads IA32_PAT from the guest PAT field.</summary>
    public bool LoadsGuestPat => (Entry & VmxCtl.EntryLoadPat) != 0;

    /// <summary>VM exit saves the guest's IA32_PAT into its field.</summary>
    public bool SavesGuestPat => (Exit & VmxCtl.ExitSavePat) != 0;

    /// <summary>VM exit loads IA32_PAT from the host PAT field.</summary>
    public bool LoadsHostPat => (Exit & VmxCtl.ExitLoadPat) != 0;

    /// <summary>
    /// Guest CR0/CR4 from what the guest believes (SDM A.7, A.8): bits fixed to 1 set and bits
    /// fixed to 0 cleared. Unrestricted guests may run with PE and PG clear.
    /// </summary>
    public static ulong FixCr0(ulong cr0, ulong fixed0, ulong fixed1) =>
        (cr0 | (fixed0 & ~(X86Bits.Cr0Pe | X86Bits.Cr0Pg))) & fixed1;

    public static ulong FixCr4(ulong cr4, ulong fixed0, ulong fixed1) => (cr4 | fixed0) & fixed1;

    /// <summary>The CR0 bits the host owns (guest reads see the read shadow; a write changing them exits).</summary>
    public static ulong Cr0HostOwned(ulong fixed0, ulong fixed1) =>
        (fixed0 & ~(X86Bits.Cr0Pe | X86Bits.Cr0Pg)) | (~fixed1 & 0xFFFF_FFFF);

    public static ulong Cr4HostOwned(ulong fixed0, ulong fixed1) => fixed0 | (~fixed1 & 0xFFFF_FFFF);
}

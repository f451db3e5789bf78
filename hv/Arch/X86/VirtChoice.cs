namespace XenLite.Hv.Arch.X86;

/// <summary>Which hardware virtualization the boot CPU offers.</summary>
public enum X86Virt : byte
{
    /// <summary>AMD (or anything not Intel with VMX): the SVM path, which checks and refuses by itself.</summary>
    Svm,
    /// <summary>Intel with CPUID.1:ECX.VMX.</summary>
    Vmx,
}

/// <summary>Xen's choice in start_vmx/start_svm: the CPU vendor (leaf 0) and its feature bit decide.</summary>
public static class VirtChoice
{
    // "GenuineIntel" as CPUID leaf 0 returns it: EBX "Genu", EDX "ineI", ECX "ntel".
    const uint IntelEbx = 0x756E_6547, IntelEdx = 0x4965_6E69, IntelEcx = 0x6C65_746E;
    const uint Leaf1EcxVmx = 1u << 5;

    public static bool IsIntel(X86Cpu cpu)
    {
        cpu.Cpuid(0, 0, out _, out uint b, out uint c, out uint d);
        return b == IntelEbx && d == IntelEdx && c == IntelEcx;
    }

    public static X86Virt Detect(X86Cpu cpu)
    {
        if (!IsIntel(cpu)) return X86Virt.Svm;
        cpu.Cpuid(1, 0, out _, out _, out uint ecx, out _);
        return (ecx & Leaf1EcxVmx) != 0 ? X86Virt.Vmx : X86Virt.Svm;
    }
}

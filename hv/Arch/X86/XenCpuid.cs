using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// What CPUID returns to an HVM guest: Xen's leaves at 0x40000000 (xen/arch/x86/cpuid.c,
/// public arch-x86/cpuid.h) and the host's leaves with what we do not virtualize hidden.
/// Leaves past the maximum return zeros (the AMD model Xen follows).
/// </summary>
public static unsafe class XenCpuid
{
    public const uint Base = 0x4000_0000;
    /// <summary>XEN_CPUID_MAX_NUM_LEAVES: the last leaf is Base + 5.</summary>
    public const uint MaxLeaves = 5;
    public const uint SignatureEbx = 0x566E_6558, SignatureEcx = 0x6558_4D4D, SignatureEdx = 0x4D4D_566E; // "XenVMMXenVMM"

    // Leaf 0x40000003 (time) flags and leaf 0x40000004 (HVM) flags.
    public const uint HostTscReliable = 1u << 1, RdtscpAvailable = 1u << 2;
    public const uint HvmIommuMappings = 1u << 2, HvmVcpuIdPresent = 1u << 3, HvmDomidPresent = 1u << 4;

    // Host features we hide: what needs emulation we do not have (VMX/SVM, MONITOR, XSAVE
    // state switching, LAPIC/x2APIC, MTRR and machine-check MSRs), and the hypervisor bit set.
    const uint Leaf1EcxHidden = (1u << 3) | (1u << 5) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28);
    const uint Leaf1EdxHidden = (1u << 7) | (1u << 9) | (1u << 12) | (1u << 14);
    const uint Leaf1EcxHypervisor = 1u << 31;
    const uint Ext1EcxSvm = 1u << 2;
    const uint Ext1EdxRdtscp = 1u << 27;

    public static void Query(SvmHost host, Vcpu v, uint leaf, uint subleaf, out uint a, out uint b, out uint c, out uint d)
    {
        a = b = c = d = 0;
        X86Cpu cpu = host.Cpu;
        if (leaf - Base <= 0x1FF)
        {
            HypervisorLeaf(host, v, leaf - Base, subleaf, out a, out b, out c, out d);
            return;
        }
        bool extended = leaf >= 0x8000_0000;
        if (leaf >= 0x4000_0000 && !extended) return;
        cpu.Cpuid(extended ? 0x8000_0000 : 0u, 0, out uint max, out _, out _, out _);
        if (leaf > max) return;

        switch (leaf)
        {
            case 0x5: // MONITOR/MWAIT: hidden with MONITOR
            case 0xD: // XSAVE state: hidden with XSAVE
            case 0x8000_000A: // SVM features: nested SVM is not offered
                return;
        }
        cpu.Cpuid(leaf, subleaf, out a, out b, out c, out d);
        switch (leaf)
        {
            case 0x1:
                c = (c & ~Leaf1EcxHidden) | Leaf1EcxHypervisor;
                d &= ~Leaf1EdxHidden;
                // Initial APIC id: Xen gives HVM vCPU n the id 2n.
                b = (b & 0x00FF_FFFF) | ((uint)(v.Id * 2) << 24);
                break;
            case 0x8000_0001:
                c &= ~Ext1EcxSvm;
                break;
        }
    }

    static void HypervisorLeaf(SvmHost host, Vcpu v, uint idx, uint subleaf, out uint a, out uint b, out uint c, out uint d)
    {
        a = b = c = d = 0;
        switch (idx)
        {
            case 0:
                a = Base + MaxLeaves;
                b = SignatureEbx; c = SignatureEcx; d = SignatureEdx;
                break;
            case 1:
                a = ((uint)BuildInfo.Major << 16) | (uint)BuildInfo.Minor;
                break;
            case 2:
                a = 1;                       // hypercall pages
                b = SvmMsrs.HypercallPage;   // MSR base
                break;
            case 3:
                TimeLeaf(host, subleaf, out a, out b, out c, out d);
                break;
            case 4:
                if (subleaf != 0) break;
                a = HvmIommuMappings | HvmVcpuIdPresent | HvmDomidPresent;
                b = (uint)v.Id;
                c = v.Domain.Id;
                break;
            // 5 is PV-only; beyond the maximum everything is zero.
        }
    }

    /// <summary>
    /// Leaf 0x40000003 for the default TSC mode: the TSC is not emulated, the host TSC counts as
    /// reliable (one physical CPU: Xen's host_tsc_is_safe), no offset, and the scale from TSC
    /// ticks to nanoseconds.
    /// </summary>
    static void TimeLeaf(SvmHost host, uint subleaf, out uint a, out uint b, out uint c, out uint d)
    {
        a = b = c = d = 0;
        uint khz = host.Cpu.TscKhz;
        switch (subleaf)
        {
            case 0:
                host.Cpu.Cpuid(0x8000_0001, 0, out _, out _, out _, out uint extEdx);
                a = HostTscReliable | ((extEdx & Ext1EdxRdtscp) != 0 ? RdtscpAvailable : 0);
                c = khz;
                break;
            case 1:
                TscScale((ulong)khz * 1000, out c, out d);
                break;
            case 2:
                a = khz;
                break;
        }
    }

    /// <summary>Xen's set_time_scale: ns = ((ticks &lt;&lt; shift) * mul_frac) &gt;&gt; 32, shift signed.</summary>
    public static void TscScale(ulong ticksPerSecond, out uint mulFrac, out uint shift)
    {
        const ulong NsPerSecond = 1_000_000_000;
        mulFrac = 0; shift = 0;
        if (ticksPerSecond == 0) return;
        int s = 0;
        ulong tps = ticksPerSecond;
        while (tps > NsPerSecond * 2) { tps >>= 1; s--; }
        while (tps <= NsPerSecond) { tps <<= 1; s++; }
        mulFrac = (uint)((NsPerSecond << 32) / tps);
        shift = (uint)s;
    }
}

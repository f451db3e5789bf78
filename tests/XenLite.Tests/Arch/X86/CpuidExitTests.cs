using NUnit.Framework;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.X86;

[Category("svm")]
[Category("cpuid")]
public unsafe class CpuidExitTests
{
    static (uint A, uint B, uint C, uint D) Cpuid(SvmBed bed, Vcpu v, uint leaf, uint sub = 0)
    {
        v.Regs[X86Reg.Rax] = 0xFFFF_FFFF_0000_0000 | leaf; // upper half must not survive
        v.Regs[X86Reg.Rcx] = sub;
        ulong rip = v.Regs.Ip;
        Assert.That(bed.Exit(v, SvmExit.Cpuid), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(v.Regs.Ip, Is.EqualTo(rip + 2), "cpuid is 2 bytes");
        Assert.That(v.Regs[X86Reg.Rax] >> 32, Is.Zero);
        return ((uint)v.Regs[X86Reg.Rax], (uint)v.Regs[X86Reg.Rbx], (uint)v.Regs[X86Reg.Rcx], (uint)v.Regs[X86Reg.Rdx]);
    }

    [Test]
    public void Leaf0IsTheXenSignatureAndMaximum()
    {
        using var bed = new SvmBed();
        var r = Cpuid(bed, bed.NewPvh().Vcpus[0], 0x4000_0000);
        Assert.That(r, Is.EqualTo((0x4000_0005u, 0x566E_6558u, 0x6558_4D4Du, 0x4D4D_566Eu)));
        var sig = new byte[12];
        System.BitConverter.GetBytes(r.B).CopyTo(sig, 0);
        System.BitConverter.GetBytes(r.C).CopyTo(sig, 4);
        System.BitConverter.GetBytes(r.D).CopyTo(sig, 8);
        Assert.That(System.Text.Encoding.ASCII.GetString(sig), Is.EqualTo("XenVMMXenVMM"));
    }

    [Test]
    public void Leaf1IsTheVersion()
    {
        using var bed = new SvmBed();
        var r = Cpuid(bed, bed.NewPvh().Vcpus[0], 0x4000_0001);
        Assert.That(r, Is.EqualTo(((uint)(BuildInfo.Major << 16 | BuildInfo.Minor), 0u, 0u, 0u)));
        Assert.That(r.A, Is.EqualTo(0x0004_0016u));
    }

    [Test]
    public void Leaf2IsOneHypercallPageAtMsr40000000()
    {
        using var bed = new SvmBed();
        Assert.That(Cpuid(bed, bed.NewPvh().Vcpus[0], 0x4000_0002), Is.EqualTo((1u, 0x4000_0000u, 0u, 0u)));
    }

    [Test]
    public void Leaf3TimeForTheDefaultTscMode()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        // RDTSCP is in the fake's 0x80000001 EDX; reliable TSC on one CPU; mode 0; guest kHz; incarnation 0.
        Assert.That(Cpuid(bed, v, 0x4000_0003, 0), Is.EqualTo((6u, 0u, bed.Cpu.Khz, 0u)));
        XenCpuid.TscScale(bed.Cpu.Khz * 1000UL, out uint mul, out uint shift);
        Assert.That(Cpuid(bed, v, 0x4000_0003, 1), Is.EqualTo((0u, 0u, mul, shift)));
        Assert.That(Cpuid(bed, v, 0x4000_0003, 2), Is.EqualTo((bed.Cpu.Khz, 0u, 0u, 0u)));
        Assert.That(Cpuid(bed, v, 0x4000_0003, 3), Is.EqualTo((0u, 0u, 0u, 0u)));
    }

    [Test]
    public void TscScaleMatchesXensSetTimeScale()
    {
        // 2.5 GHz: halve once to 1.25e9 (shift -1); mul = 1e9 * 2^32 / 1.25e9.
        XenCpuid.TscScale(2_500_000_000, out uint mul, out uint shift);
        Assert.That(shift, Is.EqualTo(0xFFFF_FFFFu));
        Assert.That(mul, Is.EqualTo((uint)((1_000_000_000UL << 32) / 1_250_000_000)));
        // 1 GHz: doubled once to reach above 1e9 (shift +1), mul = 2^31.
        XenCpuid.TscScale(1_000_000_000, out mul, out shift);
        Assert.That((mul, shift), Is.EqualTo((0x8000_0000u, 1u)));
        // Applying the scale turns one second of ticks into 1e9 ns (within rounding).
        XenCpuid.TscScale(3_000_000_000, out mul, out shift);
        ulong ticks = 3_000_000_000;
        ulong shifted = (int)shift < 0 ? ticks >> -(int)shift : ticks << (int)shift;
        Assert.That((double)(shifted * (System.UInt128)mul >> 32), Is.EqualTo(1e9).Within(2));
    }

    [Test]
    public void Leaf4CarriesVcpuAndDomainIds()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh(id: 5, vcpus: 2);
        var r = Cpuid(bed, d.Vcpus[0], 0x4000_0004);
        Assert.That(r.A, Is.EqualTo(XenCpuid.HvmIommuMappings | XenCpuid.HvmVcpuIdPresent | XenCpuid.HvmDomidPresent));
        Assert.That(r.A & (1u << 3), Is.Not.Zero, "XEN_HVM_CPUID_VCPU_ID_PRESENT");
        Assert.That(r.A & (1u << 4), Is.Not.Zero, "XEN_HVM_CPUID_DOMID_PRESENT");
        Assert.That((r.B, r.C, r.D), Is.EqualTo((0u, 5u, 0u)));

        var v1 = d.Vcpus[1];
        SvmSetup.PvhEntry(v1, SvmBed.Entry, 0);
        Assert.That(Cpuid(bed, v1, 0x4000_0004).B, Is.EqualTo(1u));
        Assert.That(Cpuid(bed, v1, 0x4000_0004, 1), Is.EqualTo((0u, 0u, 0u, 0u)), "only sub-leaf 0");
    }

    [TestCase(0x4000_0005u)] // PV-only leaf: zero for HVM
    [TestCase(0x4000_0006u)] // past the maximum
    [TestCase(0x4000_0100u)] // Xen's second block, unused without viridian
    [TestCase(0x4000_01FFu)]
    [TestCase(0x4000_0200u)]
    [TestCase(0x0000_0020u)] // past the host's basic maximum
    [TestCase(0x8000_0020u)] // past the host's extended maximum
    [TestCase(0xC000_0000u)]
    [TestCase(5u)]            // MONITOR leaf hidden
    [TestCase(0xDu)]          // XSAVE leaf hidden
    [TestCase(0x8000_000Au)]  // SVM leaf hidden
    public void HiddenAndOutOfRangeLeavesAreZero(uint leaf)
    {
        using var bed = new SvmBed();
        Assert.That(Cpuid(bed, bed.NewPvh().Vcpus[0], leaf), Is.EqualTo((0u, 0u, 0u, 0u)));
    }

    [Test]
    public void Leaf1SetsHypervisorHidesVirtualizationAndSetsApicId()
    {
        using var bed = new SvmBed();
        var d = bed.NewPvh(vcpus: 2);
        SvmSetup.PvhEntry(d.Vcpus[1], SvmBed.Entry, 0);
        var r = Cpuid(bed, d.Vcpus[1], 1);
        Assert.That(r.A, Is.EqualTo(FakeX86Cpu.Leaf1Eax));
        Assert.That(r.C & (1u << 31), Is.Not.Zero, "hypervisor present");
        Assert.That(r.C & (1u << 5), Is.Zero, "VMX");
        Assert.That(r.C & (1u << 3), Is.Zero, "MONITOR");
        Assert.That(r.C & ((1u << 26) | (1u << 27)), Is.Zero, "XSAVE/OSXSAVE");
        Assert.That(r.C & (1u << 0), Is.Not.Zero, "SSE3 passes through");
        Assert.That(r.D & (1u << 9), Is.Zero, "APIC");
        Assert.That(r.D & (1u << 4), Is.Not.Zero, "TSC passes through");
        Assert.That(r.B >> 24, Is.EqualTo(2u), "APIC id 2 * vcpu_id");
        Assert.That(r.B & 0xFFFFFF, Is.EqualTo(FakeX86Cpu.Leaf1Ebx & 0xFFFFFF));
    }

    [Test]
    public void ExtendedLeafHidesSvmAndPassesTheRest()
    {
        using var bed = new SvmBed();
        var r = Cpuid(bed, bed.NewPvh().Vcpus[0], 0x8000_0001);
        Assert.That(r.C, Is.EqualTo(FakeX86Cpu.Ext1Ecx & ~4u));
        Assert.That(r.D, Is.EqualTo(FakeX86Cpu.Ext1Edx));
        Assert.That(Cpuid(bed, bed.Hv.Lookup(1).Vcpus[0], 7).B, Is.EqualTo(0x219C_07ABu), "other leaves pass through");
    }
}

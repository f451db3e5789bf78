// Sizes and offsets computed with clang from Xen's public domctl.h and sysctl.h (master, domctl
// interface 0x18, sysctl 0x16) for x86_64, i386 and aarch64: identical on all three except
// xen_arch_domainconfig (x86 8 bytes, arm 16), hence the split createdomain/getdomaininfo.
using NUnit.Framework;
using XenLite.Hv.Abi;

namespace XenLite.Tests.Abi;

[Category("abi")]
[Category("domctl")]
public class DomctlSysctlLayoutTests
{
    [Test]
    public void Domctl() => LayoutAssert.Matches<XenDomctl>(144,
        ("Cmd", 0, 4), ("InterfaceVersion", 4, 4), ("Domain", 8, 2), ("Pad", 10, 6), ("U", 16, 128));

    [Test]
    public void CreateDomain()
    {
        LayoutAssert.Matches<DomctlCreateDomain>(60,
            ("Ssidref", 0, 4), ("Handle", 4, 16), ("Flags", 20, 4), ("IommuOpts", 24, 4), ("MaxVcpus", 28, 4),
            ("MaxEvtchnPort", 32, 4), ("MaxGrantFrames", 36, 4), ("MaxMaptrackFrames", 40, 4), ("GrantOpts", 44, 4),
            ("Altp2mOpts", 48, 2), ("Altp2mNr", 50, 2), ("VmtraceSize", 52, 4), ("CpupoolId", 56, 4));
        Assert.That(DomctlCreateDomain.ArchOffset + 8, Is.EqualTo(68), "x86 sizeof");
        Assert.That(DomctlCreateDomain.ArchOffset + 16, Is.EqualTo(76), "arm sizeof");
        LayoutAssert.Matches<ArchDomainConfigX86>(8, ("EmulationFlags", 0, 4), ("MiscFlags", 4, 4));
        LayoutAssert.Matches<ArchDomainConfigArm>(16, ("GicVersion", 0, 1), ("SveVl", 1, 1), ("TeeType", 2, 2), ("NrSpis", 4, 4),
            ("ClockFrequency", 8, 4), ("ArmSciType", 12, 1), ("V8rEl1Msa", 13, 1), ("Pad", 14, 2));
    }

    [Test]
    public void GetDomainInfo()
    {
        LayoutAssert.Matches<DomctlGetDomainInfo>(104,
            ("Domain", 0, 2), ("Pad1", 2, 2), ("Flags", 4, 4), ("TotPages", 8, 8), ("MaxPages", 16, 8), ("OutstandingPages", 24, 8),
            ("ShrPages", 32, 8), ("PagedPages", 40, 8), ("SharedInfoFrame", 48, 8), ("CpuTime", 56, 8), ("NrOnlineVcpus", 64, 4),
            ("MaxVcpuId", 68, 4), ("Ssidref", 72, 4), ("Handle", 76, 16), ("Cpupool", 92, 4), ("GpaddrBits", 96, 1), ("Pad2", 97, 7));
        Assert.That((DomctlGetDomainInfo.SizeX86, DomctlGetDomainInfo.SizeArm), Is.EqualTo((112, 120)));
    }

    [Test]
    public void SmallDomctlStructs()
    {
        LayoutAssert.Matches<DomctlMaxMem>(8, ("MaxMemKb", 0, 8));
        LayoutAssert.Matches<DomctlMaxVcpus>(4, ("Max", 0, 4));
        LayoutAssert.Matches<DomctlVcpuContext>(16, ("Vcpu", 0, 4), ("Ctxt", 8, 8));
        LayoutAssert.Matches<DomctlGetVcpuInfo>(24, ("Vcpu", 0, 4), ("Online", 4, 1), ("Blocked", 5, 1), ("Running", 6, 1), ("CpuTime", 8, 8), ("Cpu", 16, 4));
        LayoutAssert.Matches<XenctlBitmap>(16, ("Bitmap", 0, 8), ("NrBits", 8, 4));
        LayoutAssert.Matches<DomctlVcpuAffinity>(40, ("Vcpu", 0, 4), ("Flags", 4, 4), ("CpumapHard", 8, 16), ("CpumapSoft", 24, 16));
        LayoutAssert.Matches<DomctlSchedulerOp>(24, ("SchedId", 0, 4), ("Cmd", 4, 4), ("U", 8, 16));
        LayoutAssert.Matches<DomctlIrqPermission>(8, ("Pirq", 0, 4), ("AllowAccess", 4, 1), ("Pad", 5, 3));
        LayoutAssert.Matches<DomctlIomemPermission>(24, ("FirstMfn", 0, 8), ("NrMfns", 8, 8), ("AllowAccess", 16, 1));
        LayoutAssert.Matches<DomctlIoportPermission>(12, ("FirstPort", 0, 4), ("NrPorts", 4, 4), ("AllowAccess", 8, 1));
        LayoutAssert.Matches<DomctlHypercallInit>(8, ("Gmfn", 0, 8));
        LayoutAssert.Matches<DomctlSetTimeOffset>(8, ("TimeOffsetSeconds", 0, 8));
        LayoutAssert.Matches<DomctlAddressSize>(4, ("Size", 0, 4));
        LayoutAssert.Matches<DomctlSetTarget>(2, ("Target", 0, 2));
        LayoutAssert.Matches<DomctlSetDebugging>(1, ("Enable", 0, 1));
    }

    [Test]
    public void VcpuGuestContextX86_64()
    {
        LayoutAssert.Matches<Hv.Abi.VcpuGuestContextX86_64>(5168, ("Flags", 512, 8), ("UserRegs", 520, 200), ("CtrlReg", 4984, 64), ("DebugReg", 5048, 64));
        LayoutAssert.Matches<CpuUserRegsX86_64>(200,
            ("R15", 0, 8), ("R14", 8, 8), ("R13", 16, 8), ("R12", 24, 8), ("Rbp", 32, 8), ("Rbx", 40, 8), ("R11", 48, 8), ("R10", 56, 8),
            ("R9", 64, 8), ("R8", 72, 8), ("Rax", 80, 8), ("Rcx", 88, 8), ("Rdx", 96, 8), ("Rsi", 104, 8), ("Rdi", 112, 8),
            ("ErrorCode", 120, 4), ("EntryVector", 124, 4), ("Rip", 128, 8), ("Cs", 136, 2), ("SavedUpcallMask", 140, 1),
            ("Rflags", 144, 8), ("Rsp", 152, 8), ("Ss", 160, 2), ("Es", 168, 2), ("Ds", 176, 2), ("Fs", 184, 2), ("Gs", 192, 2));
    }

    [Test]
    public void Sysctl()
    {
        LayoutAssert.Matches<XenSysctl>(136, ("Cmd", 0, 4), ("InterfaceVersion", 4, 4), ("U", 8, 128));
        LayoutAssert.Matches<SysctlReadConsole>(24, ("Clear", 0, 1), ("Incremental", 1, 1), ("Pad0", 2, 1), ("Pad1", 3, 1), ("Index", 4, 4), ("Buffer", 8, 8), ("Count", 16, 4));
        LayoutAssert.Matches<SysctlPhysInfo>(112,
            ("ThreadsPerCore", 0, 4), ("CoresPerSocket", 4, 4), ("NrCpus", 8, 4), ("MaxCpuId", 12, 4), ("NrNodes", 16, 4), ("MaxNodeId", 20, 4),
            ("CpuKhz", 24, 4), ("Capabilities", 28, 4), ("ArchCapabilities", 32, 4), ("Pad", 36, 4), ("TotalPages", 40, 8), ("FreePages", 48, 8),
            ("ScrubPages", 56, 8), ("OutstandingPages", 64, 8), ("MaxMfn", 72, 8), ("HwCap", 80, 32));
        LayoutAssert.Matches<SysctlSchedId>(4, ("SchedId", 0, 4));
        LayoutAssert.Matches<SysctlGetDomainInfoList>(24, ("FirstDomain", 0, 2), ("MaxDomains", 4, 4), ("Buffer", 8, 8), ("NumDomains", 16, 4));
        LayoutAssert.Matches<SysctlGetCpuInfo>(24, ("MaxCpus", 0, 4), ("Info", 8, 8), ("NrCpus", 16, 4));
        LayoutAssert.Matches<SysctlCpuTopoInfo>(16, ("NumCpus", 0, 4), ("CpuTopo", 8, 8));
        LayoutAssert.Matches<SysctlCpuTopo>(12, ("Core", 0, 4), ("Socket", 4, 4), ("Node", 8, 4));
        LayoutAssert.Matches<SysctlNumaInfo>(24, ("NumNodes", 0, 4), ("MemInfo", 8, 8), ("Distance", 16, 8));
        LayoutAssert.Matches<SysctlMemInfo>(16, ("MemSize", 0, 8), ("MemFree", 8, 8));
        LayoutAssert.Matches<SysctlCpupoolOp>(40, ("Op", 0, 4), ("CpupoolId", 4, 4), ("SchedId", 8, 4), ("DomId", 12, 4), ("Cpu", 16, 4), ("NDom", 20, 4), ("Cpumap", 24, 16));
        LayoutAssert.Matches<SysctlCpuFeatureset>(16, ("Index", 0, 4), ("NrFeatures", 4, 4), ("Features", 8, 8));
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Sched;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The PSCI 1.1 subset Xen offers guests (xen/arch/arm/vpsci.c): VERSION, CPU_SUSPEND (as
/// standby), CPU_OFF, CPU_ON, AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF and SYSTEM_RESET
/// (which shut the domain down), FEATURES. Results are 32-bit values sign-extended into x0.
/// </summary>
public static class Psci
{
    public const uint Version = 0x8400_0000, CpuSuspend = 0x8400_0001, CpuOff = 0x8400_0002, CpuOn = 0x8400_0003;
    public const uint AffinityInfo = 0x8400_0004, MigrateInfoType = 0x8400_0006, SystemOff = 0x8400_0008;
    public const uint SystemReset = 0x8400_0009, Features = 0x8400_000A;
    public const uint CpuSuspend64 = 0xC400_0001, CpuOn64 = 0xC400_0003, AffinityInfo64 = 0xC400_0004;

    public const int Success = 0, NotSupported = -1, InvalidParameters = -2, Denied = -3, AlreadyOn = -4;
    public const int InternalFailure = -6, InvalidAddress = -9;
    public const int AffinityOn = 0, AffinityOff = 1, TosMpOrNotPresent = 2;
    /// <summary>PSCI_VERSION(1, 1).</summary>
    public const int Version11 = 0x1_0001;

    /// <summary>SCTLR_EL1 a vCPU starts with (Xen's SCTLR_GUEST_INIT: RES1 bits, MMU and caches off).</summary>
    public const ulong SctlrGuestInit = 0x00C5_0078;

    /// <summary>Handles a PSCI function; false when <paramref name="fid"/> is not one.</summary>
    public static bool Call(Arm64Host host, Vcpu v, uint fid)
    {
        bool is64 = (fid & 0x4000_0000) != 0;
        switch (fid)
        {
            case Version: return Result(v, Version11);
            case CpuSuspend:
            case CpuSuspend64:
                // Power-down requests are treated as standby (as Xen does): wait for an interrupt.
                if (!Arm64Wfx.EventPending(host, v)) v.Blocked = true;
                return Result(v, Success);
            case CpuOff:
                v.IsUp = false;
                v.Blocked = false;
                return Result(v, Success);
            case CpuOn:
            case CpuOn64:
                return Result(v, On(host, v, Arg(v, 1, is64), Arg(v, 2, is64), Arg(v, 3, is64)));
            case AffinityInfo:
            case AffinityInfo64:
                return Result(v, Affinity(v.Domain, Arg(v, 1, is64), (uint)v.Regs[2]));
            case MigrateInfoType: return Result(v, TosMpOrNotPresent);
            case SystemOff:
                DomainShutdown.Shutdown(v.Domain, ShutdownReason.Poweroff);
                return Result(v, InternalFailure);
            case SystemReset:
                DomainShutdown.Shutdown(v.Domain, ShutdownReason.Reboot);
                return Result(v, InternalFailure);
            case Features: return Result(v, FeaturesOf((uint)v.Regs[1]));
            default: return false;
        }
    }

    static int FeaturesOf(uint fid) => fid switch
    {
        Version or CpuSuspend or CpuSuspend64 or CpuOff or CpuOn or CpuOn64 or AffinityInfo or AffinityInfo64
            or MigrateInfoType or SystemOff or SystemReset or Features or Smccc.VersionFid => Success,
        _ => NotSupported,
    };

    /// <summary>CPU_ON: the target (by MPIDR) starts at <paramref name="entry"/> in EL1h, MMU off, x0 = <paramref name="context"/>.</summary>
    static int On(Arm64Host host, Vcpu caller, ulong targetMpidr, ulong entry, ulong context)
    {
        Vcpu t = VcpuOf(caller.Domain, targetMpidr);
        if (t == null) return InvalidParameters;
        if ((entry & 1) != 0) return InvalidAddress;   // Thumb bit: not for a 64-bit domain
        if (t.IsUp) return AlreadyOn;
        for (int i = 0; i < RegisterFile.Count; i++) t.Regs[i] = 0;
        t.Regs[0] = context;
        t.Regs.Ip = entry;
        t.Regs.Flags = GuestException.Pstate64Init;
        host.WriteEl1(t, El1Reg.Sctlr, SctlrGuestInit);
        host.WriteEl1(t, El1Reg.Ttbr0, 0);
        host.WriteEl1(t, El1Reg.Ttbr1, 0);
        host.WriteEl1(t, El1Reg.Tcr, 0);
        t.Arm64.Vgic.Pending = 0;
        t.Blocked = false;
        t.IsUp = true;
        return Success;
    }

    // Affinity levels 0–3 compare Aff0..Aff3, Aff1..Aff3, Aff2..Aff3, Aff3 (MPIDR_HWID_MASK 0xff00ffffff).
    static int Affinity(Domain d, ulong target, uint level)
    {
        if (level > 3) return InvalidParameters;
        int shift = level == 3 ? 32 : (int)level * 8;
        ulong mask = 0xFF_00FF_FFFFUL & ~((1UL << shift) - 1);
        for (int i = 0; i < d.Vcpus.Length; i++)
            if ((d.Vcpus[i].Arm64.Vmpidr & mask) == (target & mask) && d.Vcpus[i].IsUp) return AffinityOn;
        return AffinityOff;
    }

    /// <summary>The vCPU with this affinity (Aff0 = id % 16, Aff1 = id / 16), or null.</summary>
    public static Vcpu VcpuOf(Domain d, ulong mpidr)
    {
        if ((mpidr & 0xFF_00FF_0000UL) != 0) return null;
        ulong id = ((mpidr >> 8) & 0xFF) * 16 + (mpidr & 0xFF);
        if ((mpidr & 0xFF) >= 16 || id >= (ulong)d.Vcpus.Length) return null;
        return d.Vcpus[id];
    }

    /// <summary>SMC32 calls see 32-bit arguments; SMC64 the full registers.</summary>
    static ulong Arg(Vcpu v, int i, bool is64) => is64 ? v.Regs[i] : (uint)v.Regs[i];

    static bool Result(Vcpu v, int value)
    {
        v.Regs[0] = (ulong)(long)value;
        return true;
    }
}

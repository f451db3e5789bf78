using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using F = XenLite.Hv.Abi.XenPf;

namespace XenLite.Hv.Common.PlatformOp;

/// <summary>
/// platform_op (7): the control domain's view of the machine (Xen's do_platform_op and, for
/// 32-bit callers, compat_platform_op). x86 answers every XENPF_* as Xen does on a machine with
/// one CPU, no MTRR interface, no EFI, no ACPI sleep registers, no microcode loading, no
/// cpufreq driver in dom0 and no symbol table; arm has only settime64.
/// </summary>
public static unsafe class PlatformOpHandler
{
    public static long Handle(Vcpu v, ref HypercallArgs a)
    {
        ulong arg = a[0];
        XenPlatformOp op;
        if (GuestMemory.Read(v, arg, out op) != 0) return -Errno.EFAULT;
        if (op.InterfaceVersion != F.InterfaceVersion) return -Errno.EACCES;
        int rc = v.Hv.Xsm.PlatformOp(v.Domain, op.Cmd);
        if (rc != 0) return rc;
        ulong u = arg + XenPlatformOp.UnionOffset;
        byte* p = op.U;
        if (v.Domain.Mode == GuestMode.Arm)
            return op.Cmd == F.Settime64 ? Settime64(v, p) : -Errno.ENOSYS;

        switch ((int)op.Cmd)
        {
            case F.Settime32:
            {
                var t = (XenPfSettime32*)p;
                Wallclock.Set(v.Hv, t->Secs, t->Nsecs, t->SystemTime);
                return 0;
            }
            case F.Settime64:
                return Settime64(v, p);
            case F.AddMemtype:
                return -Errno.ENXIO; // mtrr_add_page: no MTRR interface
            case F.DelMemtype:
            {
                var m = (XenPfDelMemtype*)p;
                return m->Handle == 0 && (int)m->Reg >= 0 ? -Errno.ENXIO : -Errno.EINVAL;
            }
            case F.ReadMemtype:
                return -Errno.EINVAL; // reg >= num_var_ranges (0)
            case F.MicrocodeUpdate:
            case F.MicrocodeUpdate2:
                return -Errno.EOPNOTSUPP; // CONFIG_MICROCODE_LOADING off
            case F.PlatformQuirk:
            {
                uint quirk = *(uint*)p;
                return quirk >= F.QuirkNoIrqBalancing && quirk <= F.QuirkIoapicGoodRegsel ? 0 : -Errno.EINVAL;
            }
            case F.FirmwareInfo:
                return FirmwareInfo(v, u, p);
            case F.EfiRuntimeCall:
                return -Errno.ENOSYS; // not booted through EFI
            case F.EnterAcpiSleep:
            {
                var s = (XenPfEnterAcpiSleep*)p;
                // S3 is not supported; otherwise there are no PM1a control / sleep control registers.
                return s->SleepState == 3 ? -Errno.EOPNOTSUPP : -Errno.EPERM;
            }
            case F.ChangeFreq:
            case F.Getidletime:
                return -Errno.ENOSYS; // cpufreq is not controlled by the dom0 kernel
            case F.SetProcessorPminfo:
                return Pminfo(((XenPfPminfoHeader*)p)->Type);
            case F.GetCpuinfo:
                return GetCpuinfo(v, u, p);
            case F.GetCpuVersion:
                return GetCpuVersion(v, u, p);
            case F.GetUcodeRevision:
                return GetUcodeRevision(v, u, p);
            case F.CpuOnline:
                return *(uint*)p == 0 ? 0 : -Errno.EINVAL;
            case F.CpuOffline:
                return *(uint*)p == 0 ? -Errno.EOPNOTSUPP : -Errno.EINVAL;
            case F.CpuHotadd:
                return CpuHotadd((XenPfCpuHotadd*)p);
            case F.MemHotadd:
                // mem_hotadd_check refuses every range: no memory can be hot-added here.
                return -Errno.EINVAL;
            case F.CoreParking:
                return CoreParking(v, u, (XenPfCoreParking*)p);
            case F.ResourceOp:
                return ResourceOp(v, u, p);
            case F.GetSymbol:
                return GetSymbol(v, u, p);
            case F.GetDom0Console:
                return -Errno.ENODEV; // no VGA or framebuffer to describe
            default:
                return -Errno.ENOSYS;
        }
    }

    static long Settime64(Vcpu v, byte* p)
    {
        var t = (XenPfSettime64*)p;
        if (t->Mbz != 0) return -Errno.EINVAL;
        Wallclock.Set(v.Hv, t->Secs, t->Nsecs, t->SystemTime);
        return 0;
    }

    /// <summary>No BIOS data was collected at boot: no disks, no MBR signatures, no EDID, no EFI.</summary>
    static long FirmwareInfo(Vcpu v, ulong u, byte* p)
    {
        var h = (XenPfFirmwareInfoHeader*)p;
        switch (h->Type)
        {
            case F.FwDiskInfo:
            case F.FwDiskMbrSignature:
            case F.FwVbeddcInfo:
                return -Errno.ESRCH;
            case F.FwEfiInfo:
                return -Errno.ENOSYS;
            case F.FwKbdShiftFlags:
                if (h->Index != 0) return -Errno.ESRCH;
                byte flags = 0;
                return GuestMemory.Write(v, u + XenPfFirmwareInfoHeader.UnionOffset, flags) != 0 ? -Errno.EFAULT : 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /// <summary>No cpufreq/cpuidle driver takes ACPI data: Px/CPPC are neglected, Cx/Tx unsupported.</summary>
    static long Pminfo(uint type) => type switch
    {
        F.PmPx or F.PmCppc => 0,
        F.PmCx or F.PmTx or F.PmPdc => -Errno.ENOSYS,
        _ => -Errno.EINVAL,
    };

    static long GetCpuinfo(Vcpu v, ulong u, byte* p)
    {
        var info = *(XenPfPcpuInfo*)p;
        if (info.XenCpuid != 0) info.Flags = F.PcpuFlagsInvalid;
        else
        {
            info.ApicId = PhysicalCpu.ApicId;
            info.AcpiId = PhysicalCpu.AcpiId;
            info.Flags = F.PcpuFlagsOnline;
        }
        info.MaxPresent = 0;
        return GuestMemory.Write(v, u, info) != 0 ? -Errno.EFAULT : 0;
    }

    static long GetCpuVersion(Vcpu v, ulong u, byte* p)
    {
        var ver = *(XenPfPcpuVersion*)p;
        bool ours = ver.XenCpuid == 0;
        for (int i = 0; i < 12; i++) ver.VendorId[i] = ours ? PhysicalCpu.VendorId[i] : (byte)0;
        ver.Family = ours ? PhysicalCpu.Family : 0;
        ver.Model = ours ? PhysicalCpu.Model : 0;
        ver.Stepping = ours ? PhysicalCpu.Stepping : 0;
        ver.MaxPresent = 0;
        return GuestMemory.Write(v, u, ver) != 0 ? -Errno.EFAULT : 0;
    }

    static long GetUcodeRevision(Vcpu v, ulong u, byte* p)
    {
        var rev = *(XenPfUcodeRevision*)p;
        long rc = 0;
        if (rev.Cpu != 0) rc = -Errno.ENOENT;
        else
        {
            rev.Signature = PhysicalCpu.Signature;
            rev.Pf = 0;
            rev.Revision = PhysicalCpu.MicrocodeRevision;
        }
        // Copied back even for an unknown CPU, as Xen does.
        return GuestMemory.Write(v, u, rev) != 0 ? -Errno.EFAULT : rc;
    }

    /// <summary>cpu_add's range checks, then a CPU that cannot be brought up on this machine.</summary>
    static long CpuHotadd(XenPfCpuHotadd* c)
    {
        const uint MaxMadtEntries = 256, MaxApics = 0x8000, MaxPxm = 256;
        if (c->AcpiId >= MaxMadtEntries || c->ApicId >= MaxApics || c->Pxm >= MaxPxm) return -Errno.EINVAL;
        return -Errno.EOPNOTSUPP;
    }

    /// <summary>One CPU: none can be parked (SET of a non-zero count is clamped to 0), GET reports 0.</summary>
    static long CoreParking(Vcpu v, ulong u, XenPfCoreParking* c)
    {
        switch (c->Type)
        {
            case F.CoreParkingSet:
                return 0;
            case F.CoreParkingGet:
                var r = new XenPfCoreParking { Type = c->Type, IdleNums = 0 };
                return GuestMemory.Write(v, u, r) != 0 ? -Errno.EFAULT : 0;
            default:
                return -Errno.EINVAL;
        }
    }

    /// <summary>
    /// MSR access on a CPU: the entries are checked before any runs, and no MSR is on the list
    /// XenLite lets dom0 touch, so entry 0 comes back with its error and nothing is done.
    /// </summary>
    static long ResourceOp(Vcpu v, ulong u, byte* p)
    {
        var h = (XenPfResourceOpHeader*)p;
        if (h->NrEntries == 0) return 0;
        if (h->NrEntries > F.ResourceAccessMaxEntries) return -Errno.EINVAL;
        ulong entries = GuestModes.Is32Bit(v.Mode) ? *(uint*)(p + 8) : *(ulong*)(p + 8);
        const int EntrySize = 24;
        byte* e = stackalloc byte[EntrySize * 3];
        if (GuestMemory.CopyFrom(v, entries, e, (ulong)(EntrySize * h->NrEntries)) != 0) return -Errno.EFAULT;
        uint cmd = *(uint*)e;
        uint rsvd = *(uint*)(e + 4);
        *(int*)e = cmd > 1 || rsvd != 0 ? -Errno.EINVAL : -Errno.EPERM;
        return GuestMemory.CopyTo(v, entries, e, EntrySize) != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>xensyms_read with an empty symbol table: entry 0 is the end marker, past it -ERANGE.</summary>
    static long GetSymbol(Vcpu v, ulong u, byte* p)
    {
        bool compat = GuestModes.Is32Bit(v.Mode);
        uint namelen = *(uint*)p;
        uint symnum = *(uint*)(p + 4);
        ulong name = compat ? *(uint*)(p + 8) : *(ulong*)(p + 8);
        if (symnum > 0) return -Errno.ERANGE;
        // The empty name: one NUL byte, cut to what the caller has room for.
        byte nul = 0;
        if (namelen > 0 && GuestMemory.CopyTo(v, name, &nul, 1) != 0) return -Errno.EFAULT;
        if (compat)
        {
            var s = new XenPfSymdataCompat { Namelen = 1, Symnum = 0, Name = (uint)name };
            return GuestMemory.Write(v, u, s) != 0 ? -Errno.EFAULT : 0;
        }
        var n = new XenPfSymdata { Namelen = 1, Symnum = 0, Name = name };
        return GuestMemory.Write(v, u, n) != 0 ? -Errno.EFAULT : 0;
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Sysctl;

/// <summary>
/// sysctl (35): sysctl(struct xen_sysctl *). Copied in whole, interface version checked (-EACCES),
/// xsm_sysctl consulted, and on success copied back whole (Xen's copyback = -1 default). Sub-ops
/// not listed in <see cref="Run"/> answer -ENOSYS (Xen's arch_do_sysctl default). One layout serves
/// 32- and 64-bit callers.
/// </summary>
public static unsafe class SysctlOp
{
    public static long Handle(Vcpu caller, ref HypercallArgs a)
    {
        XenSysctl op;
        ulong arg = a[0];
        if (GuestMemory.CopyFrom(caller, arg, &op, (ulong)sizeof(XenSysctl)) != 0) return -Errno.EFAULT;
        if (op.InterfaceVersion != SysctlCmd.InterfaceVersion) return -Errno.EACCES;
        long rc;
        bool copyback;
        byte* u = op.U;
        int xsm = caller.Hv.Xsm.Sysctl(caller.Domain, op.Cmd, XsmSubop(op.Cmd, u));
        if (xsm != 0) return xsm;
        rc = Run(caller, op.Cmd, u, out copyback);
        if (copyback && GuestMemory.CopyTo(caller, arg, &op, (ulong)sizeof(XenSysctl)) != 0) rc = -Errno.EFAULT;
        return rc;
    }

    /// <summary>The nested field Flask reads for some commands (readconsole: clear).</summary>
    static uint XsmSubop(uint cmd, byte* u) => cmd == SysctlCmd.ReadConsole ? ((SysctlReadConsole*)u)->Clear : 0u;

    static long Run(Vcpu caller, uint cmd, byte* u, out bool copyback)
    {
        Hypervisor hv = caller.Hv;
        long rc;
        switch (cmd)
        {
            case SysctlCmd.ReadConsole: rc = hv.ConsoleReader.Read(caller, ref *(SysctlReadConsole*)u); break;
            case SysctlCmd.SchedId:
                ((SysctlSchedId*)u)->SchedId = HostTopology.SchedulerId;
                rc = 0;
                break;
            case SysctlCmd.GetDomainInfoList: rc = SysctlInfo.DomainInfoList(caller, ref *(SysctlGetDomainInfoList*)u); break;
            case SysctlCmd.GetCpuInfo: rc = SysctlInfo.CpuInfo(caller, ref *(SysctlGetCpuInfo*)u); break;
            case SysctlCmd.PhysInfo:
                SysctlInfo.PhysInfo(caller, (SysctlPhysInfo*)u);
                rc = 0;
                break;
            case SysctlCmd.CpuTopoInfo: rc = SysctlInfo.CpuTopo(caller, ref *(SysctlCpuTopoInfo*)u); break;
            case SysctlCmd.NumaInfo: rc = SysctlInfo.Numa(caller, ref *(SysctlNumaInfo*)u); break;
            case SysctlCmd.CpupoolOp: rc = Cpupool.Op(caller, ref *(SysctlCpupoolOp*)u); break;
            case SysctlCmd.GetCpuFeatureset:
                // Arch sub-op: it writes back only nr_features, even when it fails with -ENOBUFS.
                copyback = true;
                return caller.Mode == GuestMode.Arm ? CopybackNone(out copyback) : SysctlInfo.Featureset(caller, ref *(SysctlCpuFeatureset*)u);
            default:
                copyback = false;
                return -Errno.ENOSYS;
        }
        copyback = rc == 0;
        return rc;
    }

    static long CopybackNone(out bool copyback)
    {
        copyback = false;
        return -Errno.ENOSYS;
    }
}

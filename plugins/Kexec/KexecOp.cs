using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Plugin.Kexec;

/// <summary>
/// kexec_op(cmd, arg) (kexec.c do_kexec_op_internal): every command needs xsm_kexec (the
/// control domain by default). The structures are the same for 32-bit callers except
/// xen_kexec_range_t, whose unsigned longs shrink.
/// </summary>
public static class KexecOp
{
    public static long Handle(Vcpu v, ref HypercallArgs a) => Run(v, a[0], a[1], false);

    /// <summary>compat_kexec_op: cmd is an unsigned int.</summary>
    public static long HandleCompat(Vcpu v, ref HypercallArgs a) => Run(v, (uint)a[0], a[1], true);

    // Xen also serialises callers with KEXEC_FLAG_IN_HYPERCALL (a busy flag answered with a
    // continuation); a hypercall here runs to its end before the next, so there is nothing to wait for.
    static long Run(Vcpu v, ulong cmd, ulong arg, bool compat)
    {
        int rc = v.Hv.Xsm.Kexec(v.Domain);
        if (rc != 0) return rc;
        return cmd switch
        {
            KexecCmd.GetRange => compat ? KexecRanges.GetCompat(v, arg) : KexecRanges.Get(v, arg),
            KexecCmd.Exec => Exec(v, arg),
            KexecCmd.Load => KexecLoader.Load(v, arg),
            KexecCmd.Unload => Unload(v, arg),
            KexecCmd.Status => Status(v, arg),
            _ => -Errno.EOPNOTSUPP, // includes the v1 load/unload, removed in Xen 4.23
        };
    }

    static bool ValidType(int type) => type == KexecType.Default || type == KexecType.Crash;

    /// <summary>KEXEC_CMD_kexec: hands the machine to the loaded image of that type.</summary>
    static long Exec(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out KexecExecArg exec) != 0) return -Errno.EFAULT;
        if (!ValidType(exec.Type)) return -Errno.EINVAL;
        KexecState k = KexecState.Of(v.Hv);
        KexecImage image = k.Image(exec.Type);
        if (image == null) return -Errno.ENOENT;
        // one_cpu_only: a second entry into the exec path is refused.
        if (k.InProgress) return -Errno.EBUSY;
        ImageHandoff handoff = v.Hv.Platform.Handoff;
        if (handoff == null) return -Errno.EOPNOTSUPP;
        k.InProgress = true;
        int rc = handoff.Replace(image.EntryMaddr, image.Arch, image.Plan, image.PlanCount, image.ControlPage.ToMaddr().Value);
        if (rc < 0) k.InProgress = false;
        return rc;
    }

    static long Unload(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out KexecTypeArg unload) != 0) return -Errno.EFAULT;
        KexecState k = KexecState.Of(v.Hv);
        if (k.InProgress) return -Errno.EBUSY;
        if (!ValidType(unload.Type)) return -Errno.EINVAL;
        k.Swap(unload.Type, null);
        return 0;
    }

    // Xen answers the slot-position bit here, which flips on every load and unload; we answer
    // what the header promises: 1 when an image of that type is loaded.
    static long Status(Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out KexecTypeArg status) != 0) return -Errno.EFAULT;
        if (!ValidType(status.Type)) return -Errno.EINVAL;
        return KexecState.Of(v.Hv).Image(status.Type) != null ? 1 : 0;
    }
}

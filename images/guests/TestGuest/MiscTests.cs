// vm_assist (21, xen/common/domain.c: for HVM and arm only
// VMASST_TYPE_runstate_update_flag is valid), set_timer_op (15,
// xen/common/sched/core.c: always 0; 0 cancels; not routed on arm in
// hypercall-defs.c, so -ENOSYS there).
namespace XenLite.Guest
{
    public static unsafe class MiscTests
    {
        public static readonly Test[] All =
        {
            new Test("vm_assist.enable_4gb_segments_einval", &FourGbSegments),
            new Test("vm_assist.type_64_einval", &TypeOutOfRange),
            new Test("vm_assist.runstate_update_flag", &RunstateUpdateFlag),
            new Test("vm_assist.unknown_cmd_enosys", &UnknownCmd),
            new Test("set_timer_op.cancel", &TimerCancel),
            new Test("set_timer_op.past_deadline", &TimerPast),
        };

        static long A(ulong cmd, ulong type) => Xen.Call(Hc.VmAssist, cmd, type);

        static string FourGbSegments() => Expect.Equal(A(VmAssist.Enable, VmAssist.FourGbSegments), -Errno.EINVAL, "rc");

        static string TypeOutOfRange() => Expect.Equal(A(VmAssist.Enable, 64), -Errno.EINVAL, "rc");

        static string RunstateUpdateFlag()
        {
            string why = Expect.Equal(A(VmAssist.Enable, VmAssist.RunstateUpdateFlag), 0, "enable");
            return why ?? Expect.Equal(A(VmAssist.Disable, VmAssist.RunstateUpdateFlag), 0, "disable");
        }

        // The type is checked first, so a valid one reaches the cmd switch.
        static string UnknownCmd() => Expect.Equal(A(7, VmAssist.RunstateUpdateFlag), -Errno.ENOSYS, "rc");

        static long TimerResult(long rc) => Arch.HasSetTimerOp ? rc : -Errno.ENOSYS;

        static string TimerCancel() => Expect.Equal(Xen.Call(Hc.SetTimerOp, 0), TimerResult(0), "rc");

        // A deadline already passed (1 ns after boot) fires at once; then cancel.
        static string TimerPast()
        {
            string why = Expect.Equal(Xen.Call(Hc.SetTimerOp, 1), TimerResult(0), "set");
            return why ?? Expect.Equal(Xen.Call(Hc.SetTimerOp, 0), TimerResult(0), "cancel");
        }
    }
}

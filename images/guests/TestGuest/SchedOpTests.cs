// sched_op (29): xen/common/sched/core.c do_sched_op. SCHEDOP_shutdown itself
// is the guest's last call (GuestMain); block would stop the vCPU, so it is not called.
namespace XenLite.Guest
{
    public static unsafe class SchedOpTests
    {
        public static readonly Test[] All =
        {
            new Test("sched_op.yield", &Yield),
            new Test("sched_op.shutdown_code_poweroff", &ShutdownCode),
            new Test("sched_op.shutdown_beyond_ram_efault", &ShutdownBadPointer),
            new Test("sched_op.shutdown_code_unmapped_efault", &ShutdownCodeBadPointer),
            new Test("sched_op.poll_beyond_ram_efault", &PollBadPointer),
            new Test("sched_op.remote_shutdown_no_domain_esrch", &RemoteShutdownNoDomain),
            new Test("sched_op.pin_override", &PinOverride),
            new Test("sched_op.unknown_cmd_enosys", &UnknownCmd),
        };

        static long S(ulong cmd, ulong arg) => Xen.Call(Hc.SchedOp, cmd, arg);

        static string Yield() => Expect.Equal(S(SchedOp.Yield, 0), 0, "rc");

        // Poweroff, the same reason the final SCHEDOP_shutdown gives.
        static string ShutdownCode()
        {
            uint* reason = (uint*)Scratch.A(4);
            *reason = SchedOp.Poweroff;
            return Expect.Equal(S(SchedOp.ShutdownCode, (ulong)reason), 0, "rc");
        }

        static string ShutdownBadPointer() => Expect.Equal(S(SchedOp.Shutdown, BadAddress.BeyondRam), -Errno.EFAULT, "rc");

        static string ShutdownCodeBadPointer() => Expect.Equal(S(SchedOp.ShutdownCode, BadAddress.Unmapped), -Errno.EFAULT, "rc");

        static string PollBadPointer() => Expect.Equal(S(SchedOp.Poll, BadAddress.BeyondRam), -Errno.EFAULT, "rc");

        // sched_remote_shutdown { domid_t domain_id; uint reason; }: 0x7FEF is a
        // valid id that no test setup creates.
        static string RemoteShutdownNoDomain()
        {
            byte* b = Scratch.A(8);
            *(ushort*)b = 0x7FEF;
            *(uint*)(b + 4) = SchedOp.Poweroff;
            return Expect.Equal(S(SchedOp.RemoteShutdown, (ulong)b), -Errno.ESRCH, "rc");
        }

        // sched_pin_override { int32_t pcpu; }: hardware domain only; a CPU
        // number beyond NR_CPUS is refused.
        static string PinOverride()
        {
            int* pcpu = (int*)Scratch.A(4);
            *pcpu = 0x7FFFFFFF;
            return Expect.Equal(S(SchedOp.PinOverride, (ulong)pcpu), Guest.Privileged ? -Errno.EINVAL : -Errno.EPERM, "rc");
        }

        static string UnknownCmd() => Expect.Equal(S(99, 0), -Errno.ENOSYS, "rc");
    }
}

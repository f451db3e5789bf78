using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.ConsoleIo;

/// <summary>
/// console_io(cmd, count, buffer): a domain's access to the hypervisor console. Allowed to
/// console domains and, by default, to the control domain (xsm_console_io).
/// </summary>
public static unsafe class ConsoleIoHandler
{
    public static long Handle(Vcpu v, ref HypercallArgs args)
    {
        // Xen's prototype takes cmd and count as unsigned int.
        uint cmd = (uint)args[0];
        uint count = (uint)args[1];
        ulong buffer = args[2];

        int rc = v.Hv.Xsm.ConsoleIo(v.Domain, (int)cmd);
        if (rc != 0) return rc;

        return cmd switch
        {
            ConsoleIoCmd.Write => GuestConsoleWrite.Write(v, count, buffer),
            ConsoleIoCmd.Read => Read(v, count, buffer),
            _ => -Errno.ENOSYS,
        };
    }

    /// <summary>CONSOLEIO_read: hands over the serial input waiting for the hardware domain.</summary>
    static long Read(Vcpu v, uint count, ulong buffer)
    {
        // The result is a byte count or an errno, so counts that would look negative are refused.
        if (count > int.MaxValue) return -Errno.E2BIG;

        HvConsole con = v.Hv.Console;
        byte* run = stackalloc byte[HvConsole.InputRingSize];
        long done = 0;
        while (done < count)
        {
            int n = con.PeekInputRun(run, (int)(count - done));
            if (n == 0) break;
            if (GuestMemory.CopyTo(v, buffer + (ulong)done, run, (ulong)n) != 0) return -Errno.EFAULT;
            con.ConsumeInput(n);
            done += n;
        }
        return done;
    }
}

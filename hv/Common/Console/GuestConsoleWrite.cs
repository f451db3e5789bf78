using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.ConsoleIo;

/// <summary>
/// CONSOLEIO_write: copies the guest's text in chunks of at most 127 bytes. The hardware
/// domain's bytes go straight to the console device (it may be interactive); every other
/// domain's are filtered to printables and printed a whole "(dN) " line at a time.
/// </summary>
internal static unsafe class GuestConsoleWrite
{
    const uint ChunkSize = 127; // Xen's kbuf[128] less the terminator

    public static long Write(Vcpu v, uint count, ulong buffer)
    {
        Domain d = v.Domain;
        byte* chunk = stackalloc byte[(int)ChunkSize];
        uint taken = 0;

        while (count > 0)
        {
            // Only between chunks: every call makes progress before it can be preempted.
            if (taken != 0 && Continuation.PreemptCheck(v))
                return Continuation.Create(v, HypercallNumber.ConsoleIo,
                    HypercallArgs.Of(ConsoleIoCmd.Write, count, buffer));

            taken = count < ChunkSize ? count : ChunkSize;
            if (GuestMemory.CopyFrom(v, buffer, chunk, taken) != 0) return -Errno.EFAULT;

            if (d.IsHardware)
            {
                HvConsole con = d.Hv.Console;
                for (uint i = 0; i < taken; i++) con.PutDirect(chunk[i]);
            }
            else
            {
                taken = GuestLineBuffer.For(d).Take(chunk, taken);
            }

            buffer += taken;
            count -= taken;
        }
        return 0;
    }
}

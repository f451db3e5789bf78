// The ping-pong domU's x86_64 entry (pvh.S calls guest_main in long mode).
using System.Runtime;

namespace XenLite.Guest
{
    public static unsafe class PingPongEntry
    {
        [RuntimeExport("guest_main")]
        static void Main(uint startInfo)
        {
            byte* heap = Asm.HeapStart();
            XenLite.Runtime.ModuleStartup.Run(heap, (nuint)(Asm.HeapEnd() - heap));
            Scratch.Init();
            if (!XenCpuid.Detect()) Guest.Finish(false);
            XenCpuid.InstallHypercallPage();
            byte* si = (byte*)(ulong)startInfo;
            PingPong.Run(*(uint*)si == 0x336EC578 ? (byte*)*(ulong*)(si + 24) : null);   // hvm_start_info's cmdline_paddr
        }
    }
}

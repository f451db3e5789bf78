// kmain: the first C# to run (called by entry64.S on the boot stack, paging,
// SSE and the exception IDT already set up). Order: console, check the loader,
// find a heap, start the runtime (statics, cctors), collect boot info, then
// hand over to the image's main (XenLite.ImageMain.Run, supplied by the image's
// extra sources: the hypervisor or a demo). Its return value decides the exit.
using System.Runtime;

namespace XenLite.Boot
{
    public static unsafe class Boot
    {
        [RuntimeExport("kmain")]
        static void KMain(uint magic, uint infoAddress)
        {
            Serial.Init();
            if (magic != Multiboot.BootloaderMagic)
            {
                Serial.WriteLine("XenLite: not started by a Multiboot loader");
                Power.Exit(ExitCode.BadBoot);
            }

            var info = (Multiboot.Info*)(nuint)infoAddress;
            if (!Multiboot.FindFreeRange(info, out ulong heapStart, out ulong heapEnd))
            {
                Serial.WriteLine("XenLite: no free memory for the heap");
                Power.Exit(ExitCode.BadBoot);
            }

            // Nothing before this line may allocate or use GC statics.
            XenLite.Runtime.ModuleStartup.Run((byte*)heapStart, (nuint)(heapEnd - heapStart));

            BootInfo boot = BootInfo.FromMultiboot(info, heapStart, heapEnd);
            int status = XenLite.ImageMain.Run(boot);
            if (status == 0) Power.Off();
            Power.Exit(ExitCode.TestFailure);
        }
    }
}

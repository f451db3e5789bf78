// The hypervisor image's main (called by boot's kmain once the runtime is up):
// collects what the loader gave us into hv/'s terms and runs the x86 boot order
// (hv/Arch/X86/X86Boot.cs). Its return value is the machine's status: 0 powers
// off cleanly (QEMU exits 0), anything else exits through isa-debug-exit.
using XenLite.Boot;
using XenLite.Hv.Arch.X86;
using XenLite.Image;

namespace XenLite
{
    public static unsafe class ImageMain
    {
        public static int Run(BootInfo boot)
        {
            var counters = new SvmCounters { EntryTsc = Cpu.ReadTsc() };
            uint khz = TscCalibration.Khz();
            var platform = new PcPlatform(counters.EntryTsc, khz);
            platform.Console = !boot.HasOption("console", "none");
            var cpu = new SvmCpu(khz, counters);
            var memory = DomainRam.Take();

            var e820 = new BootMemoryRange[boot.Memory.Length];
            for (int i = 0; i < e820.Length; i++)
            {
                e820[i].Base = boot.Memory[i].Base;
                e820[i].Length = boot.Memory[i].Length;
                e820[i].Type = boot.Memory[i].Type;
            }
            var modules = new X86BootModule[boot.Modules.Length];
            for (int i = 0; i < modules.Length; i++)
            {
                modules[i].Data = (byte*)boot.Modules[i].Start;
                modules[i].Length = boot.Modules[i].Size;
                modules[i].String = boot.Modules[i].Name;
                modules[i].StringLength = boot.Modules[i].NameLength;
            }

            var args = boot.Arguments;
            fixed (byte* a = args)
                return X86Boot.Run(platform, cpu, memory, RuntimeText.FromBytes(args), a, args.Length, e820, modules, counters);
        }
    }
}

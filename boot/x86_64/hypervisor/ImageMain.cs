// The hypervisor image's main (called by boot's kmain once the runtime is up):
// collects what the loader gave us into hv/'s terms and runs the x86 boot order
// (hv/Arch/X86/X86Boot.cs) with the plugins the image builder chose
// (GeneratedPlugins). Modules embedded by `xenlite image build` are checked
// first; the embedded guest is domain 0 when the loader gave no module (-initrd).
// Its return value is the machine's status: 0 powers off cleanly (QEMU exits 0),
// anything else exits through isa-debug-exit.
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
            platform.Handoff = new PcHandoff(platform);
            LapicTimer.Start(khz);
            var cpu = new HostCpu(khz, counters);
            var memory = DomainRam.Take();

            var e820 = new BootMemoryRange[boot.Memory.Length];
            for (int i = 0; i < e820.Length; i++)
            {
                e820[i].Base = boot.Memory[i].Base;
                e820[i].Length = boot.Memory[i].Length;
                e820[i].Type = boot.Memory[i].Type;
            }
            EmbeddedModules.Load(&Put);
            var modules = boot.Modules.Length > 0 ? Loaded(boot) : Embedded();

            byte[] args = EmbeddedModules.CommandLineWith(boot.Arguments);
            fixed (byte* a = args)
                return X86Boot.Run(platform, cpu, memory, RuntimeText.FromBytes(args), a, args.Length, e820, modules, counters,
                    &GeneratedPlugins.Register, &GeneratedPlugins.Init);
        }

        static X86BootModule[] Loaded(BootInfo boot)
        {
            var modules = new X86BootModule[boot.Modules.Length];
            for (int i = 0; i < modules.Length; i++)
            {
                modules[i].Data = (byte*)boot.Modules[i].Start;
                modules[i].Length = boot.Modules[i].Size;
                modules[i].String = boot.Modules[i].Name;
                modules[i].StringLength = boot.Modules[i].NameLength;
            }
            return modules;
        }

        /// <summary>The embedded guests that passed their checksum, as Multiboot modules ("label cmdline").</summary>
        static X86BootModule[] Embedded()
        {
            var guests = EmbeddedModules.Guests;
            var modules = new X86BootModule[guests.Length];
            for (int i = 0; i < modules.Length; i++)
            {
                modules[i].Data = guests[i].Data;
                modules[i].Length = guests[i].Size;
                modules[i].String = guests[i].String;
                modules[i].StringLength = guests[i].StringLength;
                modules[i].Label = guests[i].String;
                modules[i].LabelLength = guests[i].NameLength;
            }
            return modules;
        }

        static void Put(byte b)
        {
            if (b == (byte)'\n') Serial.Write((byte)'\r');
            Serial.Write(b);
        }
    }
}

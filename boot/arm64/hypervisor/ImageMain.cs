// The arm64 hypervisor image's main (called by boot's kmain once the runtime
// is up): turns what the device tree said into hv/'s terms (host GIC and
// timer interrupts, the initrd as the initial domain, /chosen/domU* nodes as
// dom0less domains) and runs the arm64 boot order (hv/Arch/Arm64/Arm64Boot.cs)
// with the plugins the image builder chose (GeneratedPlugins). Modules embedded
// by `xenlite image build` are checked first; when the loader gives no initrd
// (or no /chosen/domU* nodes) the embedded privileged guest is the initial
// domain (and the other embedded guests are the dom0less domains). The host
// /chosen node's bootargs, xen,xen-bootargs and xen,dom0-bootargs are split
// between the hypervisor and dom0 as Xen does (ChosenBootargs).
// Its return value is the machine's status: 0 powers off (PSCI SYSTEM_OFF,
// QEMU exits 0), anything else exits through semihosting with status 3.
using XenLite.Boot;
using XenLite.Hv.Arch.Arm64;
using XenLite.Image;

namespace XenLite
{
    public static unsafe class ImageMain
    {
        public static int Run(BootInfo boot)
        {
            var counters = new Arm64Counters { EntryCount = XenLite.Boot.Boot.FirstLineTicks };
            var chosen = new ChosenBootargs
            {
                Bootargs = boot.CommandLine, BootargsLength = boot.CommandLineLength,
                XenBootargs = boot.XenCommandLine, XenBootargsLength = boot.XenCommandLineLength,
                Dom0Bootargs = boot.Dom0CommandLine, Dom0BootargsLength = boot.Dom0CommandLineLength,
            };
            byte* line = chosen.Hypervisor(out int lineLength);
            var platform = new VirtPlatform(boot.TimerFrequency);
            platform.Console = !CommandLineWords.Has(line, lineLength, "console", "none");
            var gic = new HostGic(boot.Gic);
            var cpu = new HwArm64Cpu(gic, boot.TimerFrequency, counters);
            var memory = DomainRam.Take();
            var irqs = new HostInterrupts
            {
                VirtualTimer = boot.Timer.Virtual,
                HypervisorTimer = boot.Timer.Hypervisor,
                VirtualCpuInterface = boot.Gic.Version == 2 ? boot.Gic.VirtualCpu.Base : 0,
            };

            EmbeddedModules.Load(&Put);
            Arm64GuestSpec initial = null;
            if (boot.Modules.Length > 0 && boot.Modules[0].Kind == ModuleKind.Initrd)
            {
                initial = new Arm64GuestSpec { Vpl011 = true };
                initial.Kernel = Blob(boot.Modules[0]);
                fixed (byte* n = "initrd"u8) initial.Name = n;
                initial.NameLength = 6;
            }
            else initial = EmbeddedGuests(true);
            chosen.ApplyTo(initial);
            // The hardware domain owns the host PCI bridge (the policy agent's host channel is on it).
            if (initial != null) initial.Pci = new HostPci { EcamBase = boot.Pci.EcamBase, IoBase = boot.Pci.IoBase, IoSize = boot.Pci.IoSize };
            Arm64GuestSpec[] dom0less;
            if (boot.Domains.Length > 0)
            {
                dom0less = new Arm64GuestSpec[boot.Domains.Length];
                for (int i = 0; i < dom0less.Length; i++) dom0less[i] = Spec(boot.Domains[i]);
            }
            else dom0less = EmbeddedDom0less();

            byte[] args = EmbeddedModules.CommandLineWith(new System.ReadOnlySpan<byte>(line, lineLength));
            fixed (byte* a = args)
                return Arm64Boot.Run(platform, cpu, memory, RuntimeText.FromBytes(args), a, args.Length, irqs, initial, dom0less, counters,
                    &GeneratedPlugins.Register, &GeneratedPlugins.Init);
        }

        /// <summary>The first embedded guest whose privilege is <paramref name="privileged"/>, or null.</summary>
        static Arm64GuestSpec EmbeddedGuests(bool privileged)
        {
            var guests = EmbeddedModules.Guests;
            for (int i = 0; i < guests.Length; i++)
                if (guests[i].Privileged == privileged) return Embedded(guests[i]);
            return null;
        }

        static Arm64GuestSpec[] EmbeddedDom0less()
        {
            var guests = EmbeddedModules.Guests;
            int n = 0;
            for (int i = 0; i < guests.Length; i++) if (!guests[i].Privileged) n++;
            var specs = new Arm64GuestSpec[n];
            n = 0;
            for (int i = 0; i < guests.Length; i++) if (!guests[i].Privileged) specs[n++] = Embedded(guests[i]);
            return specs;
        }

        static Arm64GuestSpec Embedded(EmbeddedModule m) => new Arm64GuestSpec
        {
            Name = m.String,
            NameLength = m.NameLength,
            Label = m.String,
            LabelLength = m.NameLength,
            Kernel = new Arm64Blob { Data = m.Data, Length = m.Size },
            Bootargs = m.String + m.NameLength + 1,
            BootargsLength = m.StringLength - m.NameLength - 1,
            MemoryKiB = (ulong)m.MemoryMiB * 1024,
            Cpus = m.Vcpus == 0 ? 1 : (int)m.Vcpus,
            Vpl011 = true,
        };

        static void Put(byte b)
        {
            if (b == (byte)'\n') Serial.Write((byte)'\r');
            Serial.Write(b);
        }

        static Arm64GuestSpec Spec(DomainSpec d)
        {
            var g = new Arm64GuestSpec
            {
                Name = d.Name,
                NameLength = d.NameLength,
                MemoryKiB = d.MemoryKiB,
                Cpus = (int)d.Cpus,
                Vpl011 = d.Vpl011,
                Problem = d.Problem,
            };
            for (int i = 0; i < d.Modules.Length; i++)
            {
                BootModule m = d.Modules[i];
                switch (m.Kind)
                {
                    case ModuleKind.Kernel:
                        g.Kernel = Blob(m);
                        g.Bootargs = m.CommandLine;
                        g.BootargsLength = m.CommandLineLength;
                        break;
                    case ModuleKind.Ramdisk: g.Ramdisk = Blob(m); break;
                    case ModuleKind.DeviceTree: g.DeviceTree = Blob(m); break;
                }
            }
            return g;
        }

        static Arm64Blob Blob(BootModule m) => new Arm64Blob { Data = (byte*)m.Start, Length = m.Size };
    }
}

// Second pass over the (already validated) device tree, after the heap is up:
// everything the hypervisor needs, as a BootInfo. Devices are expected on the
// root or on simple buses with identity `ranges` (true of QEMU virt).
using XenLite.Runtime;

namespace XenLite.Boot
{
    public static unsafe class DeviceTree
    {
        const int MaxDomains = 16, MaxModules = 8;

        public static BootInfo Describe(Fdt* fdt, EarlyInfo* early, ulong heapStart, ulong heapEnd)
        {
            var b = new BootInfo
            {
                HeapStart = heapStart,
                HeapEnd = heapEnd,
                DeviceTree = (ulong)fdt->Blob,
                DeviceTreeSize = fdt->TotalSize,
                UartBase = Serial.Base,
                PsciHvc = early->PsciHvc,
                TimerFrequency = Cpu.ReadCntFrq(),
            };
            b.Memory = new MemoryRange[early->MemCount + early->ResCount];
            for (int i = 0; i < early->MemCount; i++)
                b.Memory[i] = new MemoryRange { Base = early->MemBase[i], Length = early->MemSize[i], Type = 1 };
            for (int i = 0; i < early->ResCount; i++)
                b.Memory[early->MemCount + i] = new MemoryRange { Base = early->ResBase[i], Length = early->ResSize[i], Type = 2 };

            var domains = new DomainSpec[MaxDomains];
            int domainCount = 0;
            BootModule* modules = stackalloc BootModule[MaxModules];
            int moduleCount = 0;
            BootModule initrd = default;
            bool hasInitrd = false;

            DtNode* stack = stackalloc DtNode[Fdt.MaxDepth];
            uint offset = 0;
            int depth = 0;
            bool pending = false;
            DtNode* n;
            string error;
            DomainSpec current = null;     // the domU whose modules follow
            while (fdt->Next(ref offset, ref depth, stack, ref pending, out n, out error) == 1)
            {
                if (current != null && n->Depth <= 3) { Finish(current, modules, moduleCount); current = null; moduleCount = 0; }

                if (Gic.IsGicNode(fdt, n) && b.Gic.Version == 0) b.Gic = Gic.Read(fdt, n);
                else if (Gic.IsTimerNode(fdt, n)) b.Timer = Gic.ReadTimer(fdt, n);
                else if (n->Depth == 2 && Pci.IsBridge(fdt, n) && b.Pci.EcamBase == 0) b.Pci = Pci.Read(fdt, n);
                else if (n->Depth == 2 && Fdt.NameIs(n, "chosen"u8))
                {
                    b.CommandLine = fdt->String(n, "bootargs"u8, out b.CommandLineLength);
                    b.XenCommandLine = fdt->String(n, "xen,xen-bootargs"u8, out b.XenCommandLineLength);
                    b.Dom0CommandLine = fdt->String(n, "xen,dom0-bootargs"u8, out b.Dom0CommandLineLength);
                    if (fdt->Integer(n, "linux,initrd-start"u8, out ulong start) && fdt->Integer(n, "linux,initrd-end"u8, out ulong end) && end > start)
                    {
                        initrd = new BootModule { Start = start, End = end, Kind = ModuleKind.Initrd };
                        hasInitrd = true;
                    }
                }
                else if (n->Depth == 3 && Fdt.NameIs(stack + 1, "chosen"u8) && fdt->IsCompatible(n, "xen,domain"u8))
                {
                    current = NewDomain(fdt, n);
                    if (domainCount < MaxDomains) domains[domainCount++] = current;
                    else current.Problem = "too many dom0less domains";
                }
                else if (n->Depth == 4 && current != null && fdt->CompatibleStarts(n, "multiboot,"u8))
                {
                    if (moduleCount < MaxModules) modules[moduleCount++] = ReadModule(fdt, n);
                    else current.Problem = "too many modules";
                }
            }
            if (current != null) Finish(current, modules, moduleCount);

            b.Modules = new BootModule[hasInitrd ? 1 : 0];
            if (hasInitrd) b.Modules[0] = initrd;
            b.Domains = new DomainSpec[domainCount];
            for (int i = 0; i < domainCount; i++) b.Domains[i] = domains[i];
            ObjectAlloc.Free(domains);
            return b;
        }

        static DomainSpec NewDomain(Fdt* fdt, DtNode* n)
        {
            var d = new DomainSpec { Name = n->Name, NameLength = n->NameLength, Cpus = 1 };
            if (!fdt->Integer(n, "memory"u8, out d.MemoryKiB)) d.Problem = "no memory property";
            if (fdt->Integer(n, "cpus"u8, out ulong cpus)) d.Cpus = (uint)cpus;
            d.Vpl011 = fdt->HasProperty(n, "vpl011"u8);
            if (n->ChildAddressCells < 1 || n->ChildAddressCells > 2 || n->ChildSizeCells < 1 || n->ChildSizeCells > 2)
                d.Problem = "#address-cells/#size-cells must be 1 or 2";
            return d;
        }

        static BootModule ReadModule(Fdt* fdt, DtNode* n)
        {
            var m = new BootModule { Name = n->Name, NameLength = n->NameLength, Kind = ModuleKind.Other };
            if (fdt->IsCompatible(n, "multiboot,kernel"u8)) m.Kind = ModuleKind.Kernel;
            else if (fdt->IsCompatible(n, "multiboot,ramdisk"u8)) m.Kind = ModuleKind.Ramdisk;
            else if (fdt->IsCompatible(n, "multiboot,device-tree"u8)) m.Kind = ModuleKind.DeviceTree;
            if (fdt->Reg(n, 0, out ulong start, out ulong size)) { m.Start = start; m.End = start + size; }
            m.CommandLine = fdt->String(n, "bootargs"u8, out m.CommandLineLength);
            return m;
        }

        static void Finish(DomainSpec d, BootModule* modules, int count)
        {
            d.Modules = new BootModule[count];
            bool kernel = false;
            for (int i = 0; i < count; i++)
            {
                d.Modules[i] = modules[i];
                if (modules[i].Kind == ModuleKind.Kernel) kernel = true;
                if (modules[i].Size == 0 && (object)d.Problem == null) d.Problem = "a module has no usable reg";
            }
            if (!kernel && (object)d.Problem == null) d.Problem = "no multiboot,kernel module";
        }
    }
}

// What firmware (the device tree) told us, in managed form once the heap is
// up. This is the object the image's main receives. Same core members as the
// x86_64 BootInfo (CommandLine, Modules, Memory, Heap*, HasOption, Arguments)
// plus the arm64 platform: GIC, timer, UART, PSCI and dom0less domains.
namespace XenLite.Boot
{
    public enum ModuleKind { Initrd, Kernel, Ramdisk, DeviceTree, Other }

    public unsafe struct BootModule
    {
        public ulong Start, End;          // physical, End exclusive
        public byte* Name;                // device-tree node name (null for the initrd), NUL-terminated
        public int NameLength;
        public ModuleKind Kind;
        public byte* CommandLine;         // the module node's bootargs, or null
        public int CommandLineLength;
        public ulong Size => End - Start;
    }

    public struct MemoryRange
    {
        public ulong Base, Length;
        public uint Type;                 // 1 = RAM (/memory), 2 = reserved (reservation map, /reserved-memory)
    }

    // A /chosen/domU* node (compatible "xen,domain"), as Xen's dom0less reads it.
    public sealed unsafe class DomainSpec
    {
        public byte* Name;
        public int NameLength;
        public ulong MemoryKiB;           // "memory" (KiB), 0 if missing
        public uint Cpus;                 // "cpus", 1 if missing
        public bool Vpl011;               // "vpl011" present
        public BootModule[] Modules;      // multiboot,kernel / ramdisk / device-tree / module children
        public string Problem;            // null, or why Xen would refuse this domain
    }

    public sealed unsafe class BootInfo
    {
        public byte* CommandLine;         // /chosen bootargs (NUL-terminated), or null
        public int CommandLineLength;
        public byte* XenCommandLine;      // /chosen xen,xen-bootargs (NUL-terminated), or null
        public int XenCommandLineLength;
        public byte* Dom0CommandLine;     // /chosen xen,dom0-bootargs (NUL-terminated), or null
        public int Dom0CommandLineLength;
        public BootModule[] Modules;      // Modules[0] is the initrd (initial domain), when given
        public MemoryRange[] Memory;
        public ulong HeapStart, HeapEnd;

        public int EntryExceptionLevel;
        public ulong DeviceTree, DeviceTreeSize;
        public ulong UartBase;
        public bool PsciHvc;              // PSCI conduit: hvc (else smc)
        public GicInfo Gic;
        public TimerInfo Timer;
        public ulong TimerFrequency;      // CNTFRQ_EL0, Hz
        public DomainSpec[] Domains;      // dom0less guests from /chosen
        public PciInfo Pci;               // the generic-ECAM PCI bridge, for the hardware domain

        public System.ReadOnlySpan<byte> CommandLineBytes => new System.ReadOnlySpan<byte>(CommandLine, CommandLineLength);

        // bootargs carry no image name (unlike Multiboot): all of it is arguments.
        public System.ReadOnlySpan<byte> Arguments => CommandLineBytes;

        // True if the command line has the word `key=value` (or `key` alone when
        // value is null), space separated, as in `xenlite.selftest=runtime`.
        public bool HasOption(string key, string value) => CommandLineWords.Has(CommandLine, CommandLineLength, key, value);
    }
}

// The host channel on arm64, which `xenlite policy load` talks to: a PCI 16550 (QEMU's
// pci-serial, 1b36:0002) behind the host PCI bridge the hypervisor hands to the hardware domain
// (the /pcie node of our device tree: bus 0's ECAM and the CPU window onto PCI I/O space). We
// find it on bus 0, place its I/O BAR in the window, turn I/O decoding on, and poll it as x86's
// COM2: 115200 8N1, FIFOs on.
namespace XenLite.Guest
{
    public static unsafe class HostLine
    {
        const uint SerialId = 0x0002_1B36;       // device << 16 | vendor
        const uint IoAddress = 0x1000;           // BAR0's place in PCI I/O space
        const uint IoSpace = 0x0100_0000, SpaceMask = 0x0300_0000;
        const byte DataReady = 0x01, TransmitEmpty = 0x20;
        static ulong s_uart;

        /// <summary>Finds and programs the UART; null, or why there is no channel.</summary>
        public static string Init()
        {
            byte* tree = Entry.DeviceTree;
            if (!Dt.FindProperty(tree, "pci-host-ecam-generic"u8, "reg"u8, out byte* reg, out int regLength) || regLength < 16)
                return "no PCI bridge in our device tree";
            if (!Dt.FindProperty(tree, "pci-host-ecam-generic"u8, "ranges"u8, out byte* ranges, out int rangesLength))
                return "the PCI bridge has no ranges";
            ulong ecam = Dt.Be64(reg), window = 0, windowSize = 0;
            for (int off = 0; off + 28 <= rangesLength; off += 28)   // 3 PCI cells, 2 CPU cells, 2 size cells
            {
                byte* e = ranges + off;
                if ((Dt.Be32(e) & SpaceMask) != IoSpace || Dt.Be64(e + 4) != 0) continue;
                window = Dt.Be64(e + 12);
                windowSize = Dt.Be64(e + 20);
            }
            if (window == 0 || windowSize < IoAddress + 8) return "the PCI bridge has no I/O window";
            for (ulong device = 0; device < 32; device++)
            {
                ulong config = ecam + (device << 15);
                if (AsmArm.Read32(config) != SerialId) continue;
                AsmArm.Write32(config + 0x10, IoAddress);                                  // BAR0 (I/O)
                AsmArm.Write32(config + 0x04, (AsmArm.Read32(config + 0x04) & 0xFFFF) | 1); // command: I/O space on
                s_uart = window + IoAddress;
                Program();
                return null;
            }
            return "no PCI serial port (1b36:0002) on bus 0";
        }

        static void Program()
        {
            AsmArm.Write8(s_uart + 1, 0x00);   // no interrupts
            AsmArm.Write8(s_uart + 3, 0x80);   // DLAB: divisor follows
            AsmArm.Write8(s_uart + 0, 0x01);   // 115200
            AsmArm.Write8(s_uart + 1, 0x00);
            AsmArm.Write8(s_uart + 3, 0x03);   // 8N1
            AsmArm.Write8(s_uart + 2, 0x07);   // FIFOs on and cleared
            AsmArm.Write8(s_uart + 4, 0x03);   // DTR | RTS
        }

        public static bool HasByte() => (AsmArm.Read8(s_uart + 5) & DataReady) != 0;

        public static byte Read() => AsmArm.Read8(s_uart);

        public static void Write(byte b)
        {
            for (int spin = 0; spin < 100000 && (AsmArm.Read8(s_uart + 5) & TransmitEmpty) == 0; spin++) { }
            AsmArm.Write8(s_uart, b);
        }
    }
}

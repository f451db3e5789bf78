// The host's generic-ECAM PCI bridge from the device tree ("pci-host-ecam-generic"): its
// configuration space (reg) and the CPU window onto PCI I/O space (the ranges entry whose
// phys.hi space code is 01 and whose PCI address is 0). The hypervisor never touches it: it
// is handed to the hardware domain.
namespace XenLite.Boot
{
    public struct PciInfo
    {
        public ulong EcamBase;            // 0 = no usable bridge
        public ulong IoBase, IoSize;
    }

    public static unsafe class Pci
    {
        const uint SpaceMask = 0x0300_0000, IoSpace = 0x0100_0000;

        public static bool IsBridge(Fdt* fdt, DtNode* n) => fdt->IsCompatible(n, "pci-host-ecam-generic"u8);

        public static PciInfo Read(Fdt* fdt, DtNode* n)
        {
            var info = new PciInfo();
            if (!fdt->Reg(n, 0, out ulong ecam, out _)) return info;
            if (n->ChildAddressCells != 3 || n->ChildSizeCells < 1 || n->ChildSizeCells > 2) return info;
            if (n->AddressCells < 1 || n->AddressCells > 2) return info;
            if (!fdt->Property(n, "ranges"u8, out byte* v, out int len)) return info;
            int parentCells = (int)n->AddressCells, sizeCells = (int)n->ChildSizeCells;
            int entry = (3 + parentCells + sizeCells) * 4;
            for (int off = 0; off + entry <= len; off += entry)
            {
                byte* e = v + off;
                if ((Fdt.Be32(e) & SpaceMask) != IoSpace || Fdt.Be64(e + 4) != 0) continue;
                byte* parent = e + 12;
                info.IoBase = parentCells == 2 ? Fdt.Be64(parent) : Fdt.Be32(parent);
                byte* size = parent + parentCells * 4;
                info.IoSize = sizeCells == 2 ? Fdt.Be64(size) : Fdt.Be32(size);
                info.EcamBase = ecam;
                return info;
            }
            return info;
        }
    }
}

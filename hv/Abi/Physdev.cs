using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>physdev_op commands (public physdev.h, PHYSDEVOP_*).</summary>
public static class PhysdevOpCmd
{
    public const int IrqUnmaskNotify = 4;
    public const int IrqStatusQuery = 5;
    public const int SetIopl = 6;
    public const int SetIobitmap = 7;
    public const int ApicRead = 8;
    public const int ApicWrite = 9;
    public const int AllocIrqVector = 10;
    public const int FreeIrqVector = 11;
    public const int Eoi = 12;
    public const int MapPirq = 13;
    public const int UnmapPirq = 14;
    public const int ManagePciAdd = 15;
    public const int ManagePciRemove = 16;
    public const int PirqEoiGmfnV1 = 17;
    public const int RestoreMsi = 19;
    public const int ManagePciAddExt = 20;
    public const int SetupGsi = 21;
    public const int GetFreePirq = 23;
    public const int PciMmcfgReserved = 24;
    public const int PciDeviceAdd = 25;
    public const int PciDeviceRemove = 26;
    public const int RestoreMsiExt = 27;
    public const int PirqEoiGmfnV2 = 28;
    public const int DbgpOp = 29;
    public const int PrepareMsix = 30;
    public const int ReleaseMsix = 31;
    public const int PciDeviceReset = 32;
}

/// <summary>MAP_PIRQ_TYPE_*, XENIRQSTAT_* and other physdev.h constants.</summary>
public static class PhysdevConst
{
    public const int MapPirqTypeMsi = 0;
    public const int MapPirqTypeGsi = 1;
    public const int MapPirqTypeMsiSeg = 3;
    public const int MapPirqTypeMultiMsi = 4;
    public const uint IrqStatNeedsEoi = 1;
    public const uint IrqStatShared = 2;
    public const uint PciMmcfgReserved = 1;
    public const uint PciDeviceResetMask = 3;
    /// <summary>IOBMP_BYTES: the I/O bitmap a PV guest names covers all 64K ports.</summary>
    public const ulong IoBitmapBytes = 8192;
}

/// <summary>One-uint32 argument structs: physdev_eoi, physdev_set_iopl.</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct PhysdevU32
{
    [FieldOffset(0)] public uint Value;
}

/// <summary>physdev_pirq_eoi_gmfn: xen_pfn_t, 8 bytes native, 4 compat (read as the low half).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct PhysdevPirqEoiGmfn
{
    [FieldOffset(0)] public ulong Gmfn;
}

/// <summary>physdev_irq_status_query.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct PhysdevIrqStatusQuery
{
    [FieldOffset(0)] public uint Irq;
    [FieldOffset(4)] public uint Flags;
}

/// <summary>physdev_set_iobitmap with a 64-bit handle.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct PhysdevSetIobitmap
{
    [FieldOffset(0)] public ulong Bitmap;
    [FieldOffset(8)] public uint NrPorts;
}

/// <summary>physdev_set_iobitmap from a 32-bit caller.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct PhysdevSetIobitmapCompat
{
    [FieldOffset(0)] public uint Bitmap;
    [FieldOffset(4)] public uint NrPorts;
}

/// <summary>physdev_apic (unsigned long apic_physbase: 8 bytes native).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct PhysdevApic
{
    [FieldOffset(0)] public ulong ApicPhysbase;
    [FieldOffset(8)] public uint Reg;
    [FieldOffset(12)] public uint Value;
}

/// <summary>physdev_apic from a 32-bit caller.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct PhysdevApicCompat
{
    [FieldOffset(0)] public uint ApicPhysbase;
    [FieldOffset(4)] public uint Reg;
    [FieldOffset(8)] public uint Value;
}

/// <summary>physdev_irq (alloc/free_irq_vector).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct PhysdevIrq
{
    [FieldOffset(0)] public uint Irq;
    [FieldOffset(4)] public uint Vector;
}

/// <summary>physdev_map_pirq: table_base is 8-aligned natively.</summary>
[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct PhysdevMapPirq
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(4)] public int Type;
    [FieldOffset(8)] public int Index;
    [FieldOffset(12)] public int Pirq;
    [FieldOffset(16)] public int Bus;
    [FieldOffset(20)] public int Devfn;
    [FieldOffset(24)] public int EntryNr;
    [FieldOffset(32)] public ulong TableBase;
}

/// <summary>physdev_map_pirq from a 32-bit caller: table_base packed at 28.</summary>
[StructLayout(LayoutKind.Explicit, Size = 36)]
public struct PhysdevMapPirqCompat
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(4)] public int Type;
    [FieldOffset(8)] public int Index;
    [FieldOffset(12)] public int Pirq;
    [FieldOffset(16)] public int Bus;
    [FieldOffset(20)] public int Devfn;
    [FieldOffset(24)] public int EntryNr;
    [FieldOffset(28)] public ulong TableBase;
}

/// <summary>physdev_unmap_pirq.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct PhysdevUnmapPirq
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(4)] public int Pirq;
}

/// <summary>physdev_manage_pci and physdev_restore_msi (bus, devfn).</summary>
[StructLayout(LayoutKind.Explicit, Size = 2)]
public struct PhysdevManagePci
{
    [FieldOffset(0)] public byte Bus;
    [FieldOffset(1)] public byte Devfn;
}

/// <summary>physdev_manage_pci_ext.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct PhysdevManagePciExt
{
    [FieldOffset(0)] public byte Bus;
    [FieldOffset(1)] public byte Devfn;
    [FieldOffset(4)] public uint IsExtfn;
    [FieldOffset(8)] public uint IsVirtfn;
    [FieldOffset(12)] public byte PhysfnBus;
    [FieldOffset(13)] public byte PhysfnDevfn;
}

/// <summary>physdev_setup_gsi.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct PhysdevSetupGsi
{
    [FieldOffset(0)] public int Gsi;
    [FieldOffset(4)] public byte Triggering;
    [FieldOffset(5)] public byte Polarity;
}

/// <summary>physdev_get_free_pirq.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct PhysdevGetFreePirq
{
    [FieldOffset(0)] public int Type;
    [FieldOffset(4)] public uint Pirq;
}

/// <summary>physdev_pci_mmcfg_reserved (the same for 32-bit callers: address comes first).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct PhysdevPciMmcfgReserved
{
    [FieldOffset(0)] public ulong Address;
    [FieldOffset(8)] public ushort Segment;
    [FieldOffset(10)] public byte StartBus;
    [FieldOffset(11)] public byte EndBus;
    [FieldOffset(12)] public uint Flags;
}

/// <summary>physdev_pci_device_add without its optional array.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
public struct PhysdevPciDeviceAdd
{
    [FieldOffset(0)] public ushort Seg;
    [FieldOffset(2)] public byte Bus;
    [FieldOffset(3)] public byte Devfn;
    [FieldOffset(4)] public uint Flags;
    [FieldOffset(8)] public byte PhysfnBus;
    [FieldOffset(9)] public byte PhysfnDevfn;
}

/// <summary>physdev_pci_device (seg, bus, devfn).</summary>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct PhysdevPciDevice
{
    [FieldOffset(0)] public ushort Seg;
    [FieldOffset(2)] public byte Bus;
    [FieldOffset(3)] public byte Devfn;
}

/// <summary>pci_device_reset.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct PhysdevPciDeviceReset
{
    [FieldOffset(0)] public PhysdevPciDevice Dev;
    [FieldOffset(4)] public uint Flags;
}

/// <summary>physdev_dbgp_op.</summary>
[StructLayout(LayoutKind.Explicit, Size = 6)]
public struct PhysdevDbgpOp
{
    [FieldOffset(0)] public byte Op;
    [FieldOffset(1)] public byte Bus;
    [FieldOffset(2)] public PhysdevPciDevice Pci;
}

/// <summary>The physdev_op_compat argument's header: the command, then its union at
/// offset 8 (64-bit; unsigned long aligns it) or 4 (32-bit callers).</summary>
public static class PhysdevOpCompatLayout
{
    public const ulong UnionOffset = 8;
    public const ulong UnionOffsetCompat = 4;
    public const ulong Size = 24;
    public const ulong SizeCompat = 16;
}

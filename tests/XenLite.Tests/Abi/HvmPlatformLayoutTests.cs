// Sizes and offsets computed with clang from Xen's public hvm/hvm_op.h, physdev.h, platform.h,
// hvm/dm_op.h, pmu.h and arch-x86/xen-mca.h (xen master c447b73) for x86_64 (aarch64 is the
// same) and i386 (the compat layouts).
using NUnit.Framework;
using XenLite.Hv.Abi;

namespace XenLite.Tests.Abi;

[Category("abi")]
public class HvmPlatformLayoutTests
{
    [Test]
    public void HvmOpStructs()
    {
        LayoutAssert.Matches<XenHvmParam>(16, ("DomId", 0, 2), ("Pad", 2, 2), ("Index", 4, 4), ("Value", 8, 8));
        LayoutAssert.Matches<XenHvmPagetableDying>(16, ("DomId", 0, 2), ("Pad", 2, 6), ("Gpa", 8, 8));
        LayoutAssert.Matches<XenHvmGetTime>(8, ("Now", 0, 8));
        LayoutAssert.Matches<XenHvmXentrace>(32, ("Event", 0, 2), ("ExtraBytes", 2, 2), ("Extra", 4, 28));
        LayoutAssert.Matches<XenHvmGetMemType>(16, ("DomId", 0, 2), ("MemType", 2, 2), ("Pad", 4, 4), ("Pfn", 8, 8));
        LayoutAssert.Matches<XenHvmEvtchnUpcallVector>(8, ("Vcpu", 0, 4), ("Vector", 4, 1));
    }

    [Test]
    public void PhysdevStructs()
    {
        LayoutAssert.Matches<PhysdevPirqEoiGmfn>(8, ("Gmfn", 0, 8));
        LayoutAssert.Matches<PhysdevIrqStatusQuery>(8, ("Irq", 0, 4), ("Flags", 4, 4));
        LayoutAssert.Matches<PhysdevIrq>(8, ("Irq", 0, 4), ("Vector", 4, 4));
        LayoutAssert.Matches<PhysdevUnmapPirq>(8, ("DomId", 0, 2), ("Pirq", 4, 4));
        LayoutAssert.Matches<PhysdevManagePci>(2, ("Bus", 0, 1), ("Devfn", 1, 1));
        LayoutAssert.Matches<PhysdevManagePciExt>(16, ("Bus", 0, 1), ("Devfn", 1, 1), ("IsExtfn", 4, 4), ("IsVirtfn", 8, 4), ("PhysfnBus", 12, 1), ("PhysfnDevfn", 13, 1));
        LayoutAssert.Matches<PhysdevSetupGsi>(8, ("Gsi", 0, 4), ("Triggering", 4, 1), ("Polarity", 5, 1));
        LayoutAssert.Matches<PhysdevGetFreePirq>(8, ("Type", 0, 4), ("Pirq", 4, 4));
        LayoutAssert.Matches<PhysdevPciMmcfgReserved>(16, ("Address", 0, 8), ("Segment", 8, 2), ("StartBus", 10, 1), ("EndBus", 11, 1), ("Flags", 12, 4));
        LayoutAssert.Matches<PhysdevPciDeviceAdd>(12, ("Seg", 0, 2), ("Bus", 2, 1), ("Devfn", 3, 1), ("Flags", 4, 4), ("PhysfnBus", 8, 1), ("PhysfnDevfn", 9, 1));
        LayoutAssert.Matches<PhysdevPciDevice>(4, ("Seg", 0, 2), ("Bus", 2, 1), ("Devfn", 3, 1));
        LayoutAssert.Matches<PhysdevPciDeviceReset>(8, ("Dev", 0, 4), ("Flags", 4, 4));
        LayoutAssert.Matches<PhysdevDbgpOp>(6, ("Op", 0, 1), ("Bus", 1, 1), ("Pci", 2, 4));
    }

    [Test]
    public void PhysdevStructsThatDifferForCompat()
    {
        LayoutAssert.Matches<PhysdevSetIobitmap>(16, ("Bitmap", 0, 8), ("NrPorts", 8, 4));
        LayoutAssert.Matches<PhysdevSetIobitmapCompat>(8, ("Bitmap", 0, 4), ("NrPorts", 4, 4));
        LayoutAssert.Matches<PhysdevApic>(16, ("ApicPhysbase", 0, 8), ("Reg", 8, 4), ("Value", 12, 4));
        LayoutAssert.Matches<PhysdevApicCompat>(12, ("ApicPhysbase", 0, 4), ("Reg", 4, 4), ("Value", 8, 4));
        var map = new (string, int, int)[] { ("DomId", 0, 2), ("Type", 4, 4), ("Index", 8, 4), ("Pirq", 12, 4), ("Bus", 16, 4), ("Devfn", 20, 4), ("EntryNr", 24, 4), ("TableBase", 32, 8) };
        LayoutAssert.Matches<PhysdevMapPirq>(40, map);
        map[7] = ("TableBase", 28, 8);
        LayoutAssert.Matches<PhysdevMapPirqCompat>(36, map);
        Assert.That(PhysdevOpCompatLayout.Size, Is.EqualTo(24));
        Assert.That(PhysdevOpCompatLayout.UnionOffset, Is.EqualTo(8));
        Assert.That(PhysdevOpCompatLayout.SizeCompat, Is.EqualTo(16));
        Assert.That(PhysdevOpCompatLayout.UnionOffsetCompat, Is.EqualTo(4));
    }

    [Test]
    public void PlatformStructs()
    {
        LayoutAssert.Matches<XenPlatformOp>(136, ("Cmd", 0, 4), ("InterfaceVersion", 4, 4), ("U", 8, 128));
        LayoutAssert.Matches<XenPfSettime32>(16, ("Secs", 0, 4), ("Nsecs", 4, 4), ("SystemTime", 8, 8));
        LayoutAssert.Matches<XenPfSettime64>(24, ("Secs", 0, 8), ("Nsecs", 8, 4), ("Mbz", 12, 4), ("SystemTime", 16, 8));
        LayoutAssert.Matches<XenPfEnterAcpiSleep>(12, ("ValA", 0, 2), ("ValB", 2, 2), ("SleepState", 4, 4), ("Flags", 8, 4));
        LayoutAssert.Matches<XenPfPcpuInfo>(20, ("XenCpuid", 0, 4), ("MaxPresent", 4, 4), ("Flags", 8, 4), ("ApicId", 12, 4), ("AcpiId", 16, 4));
        LayoutAssert.Matches<XenPfPcpuVersion>(32, ("XenCpuid", 0, 4), ("MaxPresent", 4, 4), ("VendorId", 8, 12), ("Family", 20, 4), ("Model", 24, 4), ("Stepping", 28, 4));
        LayoutAssert.Matches<XenPfUcodeRevision>(16, ("Cpu", 0, 4), ("Signature", 4, 4), ("Pf", 8, 4), ("Revision", 12, 4));
        LayoutAssert.Matches<XenPfCpuHotadd>(12, ("ApicId", 0, 4), ("AcpiId", 4, 4), ("Pxm", 8, 4));
        LayoutAssert.Matches<XenPfMemHotadd>(24, ("Spfn", 0, 8), ("Epfn", 8, 8), ("Pxm", 16, 4), ("Flags", 20, 4));
        LayoutAssert.Matches<XenPfSymdata>(32, ("Namelen", 0, 4), ("Symnum", 4, 4), ("Name", 8, 8), ("Address", 16, 8), ("Type", 24, 1));
        LayoutAssert.Matches<XenPfSymdataCompat>(24, ("Namelen", 0, 4), ("Symnum", 4, 4), ("Name", 8, 4), ("Address", 12, 8), ("Type", 20, 1));
        Assert.That(XenPfFirmwareInfoHeader.UnionOffset, Is.EqualTo(8));
    }

    [Test]
    public void DmOpStructs()
    {
        LayoutAssert.Matches<XenDmOpBuf>(16, ("Handle", 0, 8), ("Size", 8, 8));
        LayoutAssert.Matches<XenDmOpBufCompat>(8, ("Handle", 0, 4), ("Size", 4, 4));
        LayoutAssert.Matches<XenDmOp>(32, ("Op", 0, 4), ("Pad", 4, 4), ("U", 8, 24));
        LayoutAssert.Matches<XenDmOpCreateIoreqServer>(6, ("HandleBufioreq", 0, 1), ("Pad", 1, 3), ("Id", 4, 2));
        LayoutAssert.Matches<XenDmOpGetIoreqServerInfo>(24, ("Id", 0, 2), ("Flags", 2, 2), ("BufioreqPort", 4, 4), ("IoreqGfn", 8, 8), ("BufioreqGfn", 16, 8));
        LayoutAssert.Matches<XenDmOpIoreqServerRange>(24, ("Id", 0, 2), ("Pad", 2, 2), ("Type", 4, 4), ("Start", 8, 8), ("End", 16, 8));
        LayoutAssert.Matches<XenDmOpTrackDirtyVram>(16, ("Nr", 0, 4), ("Pad", 4, 4), ("FirstPfn", 8, 8));
        LayoutAssert.Matches<XenDmOpSetPciIntxLevel>(6, ("Domain", 0, 2), ("Bus", 2, 1), ("Device", 3, 1), ("Intx", 4, 1), ("Level", 5, 1));
        LayoutAssert.Matches<XenDmOpModifiedMemory>(8, ("NrExtents", 0, 4), ("Opaque", 4, 4));
        LayoutAssert.Matches<XenDmOpSetMemType>(16, ("Nr", 0, 4), ("MemType", 4, 2), ("Pad", 6, 2), ("FirstPfn", 8, 8));
        LayoutAssert.Matches<XenDmOpInjectEvent>(24, ("VcpuId", 0, 4), ("Vector", 4, 1), ("Type", 5, 1), ("InsnLen", 6, 1), ("Pad0", 7, 1), ("ErrorCode", 8, 4), ("Pad1", 12, 4), ("Cr2", 16, 8));
        LayoutAssert.Matches<XenDmOpInjectMsi>(16, ("Data", 0, 4), ("Pad", 4, 4), ("Addr", 8, 8));
        LayoutAssert.Matches<XenDmOpMapMemTypeToIoreqServer>(16, ("Id", 0, 2), ("Type", 2, 2), ("Flags", 4, 4), ("Opaque", 8, 8));
        LayoutAssert.Matches<XenDmOpRelocateMemory>(24, ("Size", 0, 4), ("Pad", 4, 4), ("SrcGfn", 8, 8), ("DstGfn", 16, 8));
        LayoutAssert.Matches<XenDmOpPinMemoryCacheattr>(24, ("Start", 0, 8), ("End", 8, 8), ("Type", 16, 4), ("Pad", 20, 4));
        LayoutAssert.Matches<XenDmOpSetIrqLevel>(8, ("Irq", 0, 4), ("Level", 4, 1), ("Pad", 5, 3));
    }

    [Test]
    public void PmuAndMcaStructs()
    {
        LayoutAssert.Matches<XenPmuParams>(24, ("VersionMaj", 0, 4), ("VersionMin", 4, 4), ("Val", 8, 8), ("Vcpu", 16, 4), ("Pad", 20, 4));
        LayoutAssert.Matches<XenMcOp>(152, ("Cmd", 0, 4), ("InterfaceVersion", 4, 4), ("U", 8, 144));
        LayoutAssert.Matches<XenMcFetch>(24, ("Flags", 0, 4), ("Pad0", 4, 4), ("FetchId", 8, 8), ("Data", 16, 8));
        LayoutAssert.Matches<XenMcPhysCpuInfo>(16, ("NCpus", 0, 4), ("Pad0", 4, 4), ("Info", 8, 8));
        Assert.That(XenMc.LogicalCpuSize, Is.EqualTo(304));
        Assert.That(XenMc.LogicalCpuSizeCompat, Is.EqualTo(300));
    }
}

// Sizes and offsets computed with clang from Xen's public memory.h and grant_table.h
// (interface version 0x00041300) for x86_64 (same on aarch64) and i386 (the compat layouts).
using NUnit.Framework;
using XenLite.Hv.Abi;

namespace XenLite.Tests.Abi;

[Category("abi")]
public class MemoryGrantLayoutTests
{
    [Test]
    public void Reservation() => LayoutAssert.Matches<XenMemoryReservation>(32,
        ("ExtentStart", 0, 8), ("NrExtents", 8, 8), ("ExtentOrder", 16, 4), ("MemFlags", 20, 4), ("DomId", 24, 2));

    [Test]
    public void ReservationCompat() => LayoutAssert.Matches<XenMemoryReservationCompat>(20,
        ("ExtentStart", 0, 4), ("NrExtents", 4, 4), ("ExtentOrder", 8, 4), ("MemFlags", 12, 4), ("DomId", 16, 2));

    [Test]
    public void Exchange() => LayoutAssert.Matches<XenMemoryExchange>(72, ("In", 0, 32), ("Out", 32, 32), ("NrExchanged", 64, 8));

    [Test]
    public void ExchangeCompat() => LayoutAssert.Matches<XenMemoryExchangeCompat>(44, ("In", 0, 20), ("Out", 20, 20), ("NrExchanged", 40, 4));

    [Test]
    public void AddToPhysmap() => LayoutAssert.Matches<XenAddToPhysmap>(24,
        ("DomId", 0, 2), ("Size", 2, 2), ("Space", 4, 4), ("Idx", 8, 8), ("Gpfn", 16, 8));

    [Test]
    public void AddToPhysmapCompat() => LayoutAssert.Matches<XenAddToPhysmapCompat>(16,
        ("DomId", 0, 2), ("Size", 2, 2), ("Space", 4, 4), ("Idx", 8, 4), ("Gpfn", 12, 4));

    [Test]
    public void AddToPhysmapBatch() => LayoutAssert.Matches<XenAddToPhysmapBatch>(32,
        ("DomId", 0, 2), ("Space", 2, 2), ("Size", 4, 2), ("ForeignDomId", 6, 2), ("Idxs", 8, 8), ("Gpfns", 16, 8), ("Errs", 24, 8));

    [Test]
    public void AddToPhysmapBatchCompat() => LayoutAssert.Matches<XenAddToPhysmapBatchCompat>(20,
        ("DomId", 0, 2), ("Space", 2, 2), ("Size", 4, 2), ("ForeignDomId", 6, 2), ("Idxs", 8, 4), ("Gpfns", 12, 4), ("Errs", 16, 4));

    [Test]
    public void RemoveFromPhysmap()
    {
        LayoutAssert.Matches<XenRemoveFromPhysmap>(16, ("DomId", 0, 2), ("Gpfn", 8, 8));
        LayoutAssert.Matches<XenRemoveFromPhysmapCompat>(8, ("DomId", 0, 2), ("Gpfn", 4, 4));
    }

    [Test]
    public void MemoryMaps()
    {
        LayoutAssert.Matches<XenMemoryMap>(16, ("NrEntries", 0, 4), ("Buffer", 8, 8));
        LayoutAssert.Matches<XenMemoryMapCompat>(8, ("NrEntries", 0, 4), ("Buffer", 4, 4));
        LayoutAssert.Matches<XenForeignMemoryMap>(24, ("DomId", 0, 2), ("Map", 8, 16));
        LayoutAssert.Matches<XenForeignMemoryMapCompat>(12, ("DomId", 0, 2), ("Map", 4, 8));
        LayoutAssert.Matches<E820Entry>(20, ("Addr", 0, 8), ("Size", 8, 8), ("Type", 16, 4));
        LayoutAssert.Matches<XenMemoryDomain>(2, ("DomId", 0, 2));
    }

    [Test]
    public void AcquireResource()
    {
        LayoutAssert.Matches<XenMemAcquireResource>(32,
            ("DomId", 0, 2), ("Type", 2, 2), ("Id", 4, 4), ("NrFrames", 8, 4), ("Pad", 12, 4), ("Frame", 16, 8), ("FrameList", 24, 8));
        LayoutAssert.Matches<XenMemAcquireResourceCompat>(28,
            ("DomId", 0, 2), ("Type", 2, 2), ("Id", 4, 4), ("NrFrames", 8, 4), ("Pad", 12, 4), ("Frame", 16, 8), ("FrameList", 24, 4));
    }

    [Test]
    public void GrantEntries()
    {
        LayoutAssert.Matches<GrantEntryV1>(8, ("Flags", 0, 2), ("DomId", 2, 2), ("Frame", 4, 4));
        LayoutAssert.Matches<GrantEntryV2>(16, ("Flags", 0, 2), ("DomId", 2, 2), ("PageOff", 4, 2), ("Length", 6, 2), ("Frame", 8, 8));
    }

    [Test]
    public void MapAndUnmap()
    {
        LayoutAssert.Matches<GnttabMapGrantRef>(32,
            ("HostAddr", 0, 8), ("Flags", 8, 4), ("Ref", 12, 4), ("Dom", 16, 2), ("Status", 18, 2), ("Handle", 20, 4), ("DevBusAddr", 24, 8));
        LayoutAssert.Matches<GnttabUnmapGrantRef>(24, ("HostAddr", 0, 8), ("DevBusAddr", 8, 8), ("Handle", 16, 4), ("Status", 20, 2));
        LayoutAssert.Matches<GnttabUnmapAndReplace>(24, ("HostAddr", 0, 8), ("NewAddr", 8, 8), ("Handle", 16, 4), ("Status", 20, 2));
    }

    [Test]
    public void SetupTableAndStatusFrames()
    {
        LayoutAssert.Matches<GnttabSetupTable>(24, ("Dom", 0, 2), ("NrFrames", 4, 4), ("Status", 8, 2), ("FrameList", 16, 8));
        LayoutAssert.Matches<GnttabSetupTableCompat>(16, ("Dom", 0, 2), ("NrFrames", 4, 4), ("Status", 8, 2), ("FrameList", 12, 4));
        LayoutAssert.Matches<GnttabGetStatusFrames>(16, ("NrFrames", 0, 4), ("Dom", 4, 2), ("Status", 6, 2), ("FrameList", 8, 8));
        LayoutAssert.Matches<GnttabGetStatusFramesCompat>(12, ("NrFrames", 0, 4), ("Dom", 4, 2), ("Status", 6, 2), ("FrameList", 8, 4));
    }

    [Test]
    public void TransferAndCopy()
    {
        LayoutAssert.Matches<GnttabTransfer>(24, ("Mfn", 0, 8), ("DomId", 8, 2), ("Ref", 12, 4), ("Status", 16, 2));
        LayoutAssert.Matches<GnttabTransferCompat>(16, ("Mfn", 0, 4), ("DomId", 4, 2), ("Ref", 8, 4), ("Status", 12, 2));
        LayoutAssert.Matches<GnttabCopy>(40,
            ("SourceU", 0, 8), ("SourceDomId", 8, 2), ("SourceOffset", 10, 2), ("DestU", 16, 8), ("DestDomId", 24, 2), ("DestOffset", 26, 2),
            ("Len", 32, 2), ("Flags", 34, 2), ("Status", 36, 2));
        LayoutAssert.Matches<GnttabCopyCompat>(24,
            ("SourceU", 0, 4), ("SourceDomId", 4, 2), ("SourceOffset", 6, 2), ("DestU", 8, 4), ("DestDomId", 12, 2), ("DestOffset", 14, 2),
            ("Len", 16, 2), ("Flags", 18, 2), ("Status", 20, 2));
    }

    [Test]
    public void SmallGrantOps()
    {
        LayoutAssert.Matches<GnttabQuerySize>(16, ("Dom", 0, 2), ("NrFrames", 4, 4), ("MaxNrFrames", 8, 4), ("Status", 12, 2));
        LayoutAssert.Matches<GnttabSetVersion>(4, ("Version", 0, 4));
        LayoutAssert.Matches<GnttabGetVersion>(8, ("Dom", 0, 2), ("Pad", 2, 2), ("Version", 4, 4));
        LayoutAssert.Matches<GnttabSwapGrantRef>(12, ("RefA", 0, 4), ("RefB", 4, 4), ("Status", 8, 2));
        LayoutAssert.Matches<GnttabCacheFlush>(16, ("A", 0, 8), ("Offset", 8, 2), ("Length", 10, 2), ("Op", 12, 4));
        LayoutAssert.Matches<GnttabDumpTable>(4, ("Dom", 0, 2), ("Status", 2, 2));
    }
}

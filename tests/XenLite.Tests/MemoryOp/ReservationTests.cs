using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;
using static XenLite.Tests.MemoryOp.MemGuest;

namespace XenLite.Tests.MemoryOp;

[Category("memory_op")]
public class ReservationTests : OwnershipCheckedTest
{
    [Test]
    public void PopulatePhysmapBacksTheListedFramesWithFreshZeroedRam()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.MaxPages = 100;
        PutList(m, d, ListGpa, 200, 300);
        ulong free = m.Hv.Memory.FreeFrames;
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 2)), Is.EqualTo(2));
        Assert.That(d.TotPages, Is.EqualTo(66UL));
        Assert.That(m.Hv.Memory.FreeFrames, Is.EqualTo(free - 2));
        Assert.That(Frame(d, 200).IsValid && Frame(d, 300).IsValid, Is.True);
        Assert.That(m.Hv.Memory.OwnerOf(Frame(d, 200)), Is.EqualTo(d.Id));
        Assert.That(m.Peek(d, 200 * Page.Size, 4096), Is.All.EqualTo((byte)0));
        Assert.That(Entry(m, d, ListGpa, 0), Is.EqualTo(200UL), "translated guests keep their gfn list");
    }

    [Test]
    public void PopulateWithAnExtentOrderMapsTheWholeExtent()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.MaxPages = 100;
        PutList(m, d, ListGpa, 0x400);
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 1, order: 2)), Is.EqualTo(1));
        for (ulong g = 0x400; g < 0x404; g++) Assert.That(Frame(d, g).IsValid, Is.True, $"gfn {g:x}");
        Assert.That(Frame(d, 0x401).Value, Is.EqualTo(Frame(d, 0x400).Value + 1), "an extent is machine-contiguous");
        Assert.That(d.P2m.MaxMappedGfn, Is.EqualTo(0x403UL));
    }

    [Test]
    public void AnUnprivilegedCallerIsLimitedToOrderNine()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.MaxPages = 2000;
        PutList(m, d, ListGpa, 0x1000);
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 1, order: 10)), Is.EqualTo(0));
        Assert.That(d.TotPages, Is.EqualTo(64UL));
    }

    [Test]
    public void TheControlDomainMayUseLargerOrders()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        d0.MaxPages = 2000;
        PutList(m, d0, ListGpa, 0x1000);
        Assert.That(Reservation(m, d0, XenMem.PopulatePhysmap, Res(d0, 1, order: 10)), Is.EqualTo(1));
        Assert.That(d0.TotPages, Is.EqualTo(64UL + 1024));
    }

    [Test]
    public void MaxPagesStopsTheListPartway()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.MaxPages = 65;
        PutList(m, d, ListGpa, 100, 101, 102);
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 3)), Is.EqualTo(1));
        Assert.That(Frame(d, 101).IsValid, Is.False);
    }

    [Test]
    public void AnUnknownNumaNodeFromTheControlDomainDoesNothing()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        d0.MaxPages = 100;
        PutList(m, d0, ListGpa, 100);
        Assert.That(Reservation(m, d0, XenMem.PopulatePhysmap, Res(d0, 1, flags: XenMemF.Node(64))), Is.EqualTo(0));
        Assert.That(Reservation(m, d0, XenMem.PopulatePhysmap, Res(d0, 1, flags: XenMemF.Node(1) | XenMemF.ExactNodeRequest)), Is.EqualTo(0),
            "node 1 exists in the ABI but not on this one-node machine");
        Assert.That(Reservation(m, d0, XenMem.PopulatePhysmap, Res(d0, 1, flags: XenMemF.Node(0) | XenMemF.ExactNodeRequest)), Is.EqualTo(1));
    }

    [Test]
    public void AGuestMayNotInsistOnANodeButMayHintOne()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.MaxPages = 100;
        PutList(m, d, ListGpa, 100);
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 1, flags: XenMemF.Node(0) | XenMemF.ExactNodeRequest)), Is.EqualTo(0));
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 1, flags: XenMemF.Node(3))), Is.EqualTo(1));
    }

    [Test]
    public void PopulateOnDemandForOneselfIsRefused()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.MaxPages = 100;
        PutList(m, d, ListGpa, 100);
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 1, flags: XenMemF.PopulateOnDemand)), Is.EqualTo(0));
    }

    [Test]
    public void AddressBitsBelowAPageAreRefusedAndAboveLimitTheFrames()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.MaxPages = 100;
        PutList(m, d, ListGpa, 100);
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 1, flags: 12)), Is.EqualTo(0));
        // 25 bits = 32 MiB: every frame of this 17 MiB machine qualifies, so the limit is ignored.
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 1, flags: 25)), Is.EqualTo(1));
        PutList(m, d, ListGpa, 101);
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 1, flags: 21)), Is.EqualTo(1));
        Assert.That(Frame(d, 101).Value, Is.LessThan(1UL << (21 - 12)), "below 2 MiB");
    }

    [Test]
    public void DecreaseReservationGivesFramesBack()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        ulong free = m.Hv.Memory.FreeFrames;
        PutList(m, d, ListGpa, 40, 41);
        Assert.That(Reservation(m, d, XenMem.DecreaseReservation, Res(d, 2)), Is.EqualTo(2));
        Assert.That(d.TotPages, Is.EqualTo(62UL));
        Assert.That(m.Hv.Memory.FreeFrames, Is.EqualTo(free + 2));
        Assert.That(Frame(d, 40).IsValid, Is.False);
    }

    [Test]
    public void DecreaseStopsAtTheFirstHole()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        PutList(m, d, ListGpa, 40, 5000, 41);
        Assert.That(Reservation(m, d, XenMem.DecreaseReservation, Res(d, 3)), Is.EqualTo(1));
        Assert.That(Frame(d, 41).IsValid, Is.True);
    }

    [Test]
    public void IncreaseReservationTellsPvGuestsTheirMachineFrames()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        d.MaxPages = 100;
        Assert.That(Reservation(m, d, XenMem.IncreaseReservation, Res(d, 2)), Is.EqualTo(2));
        var mfn = new Mfn(Entry(m, d, ListGpa, 1));
        Assert.That(m.Hv.Memory.OwnerOf(mfn), Is.EqualTo(d.Id));
        Assert.That(m.Hv.Memory.KindOf(mfn), Is.EqualTo(FrameKind.DomHeap));
        Assert.That(d.TotPages, Is.EqualTo(66UL));
    }

    [Test]
    public void IncreaseReservationOnlyGrowsATranslatedGuestsReservation()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.MaxPages = 100;
        PutList(m, d, ListGpa, 0xAAAA);
        Assert.That(Reservation(m, d, XenMem.IncreaseReservation, Res(d, 1)), Is.EqualTo(1));
        Assert.That(d.TotPages, Is.EqualTo(65UL));
        Assert.That(Entry(m, d, ListGpa, 0), Is.EqualTo(0xAAAAUL), "no machine frame is revealed");
    }

    [Test]
    public void PvDecreaseReservationNamesMachineFrames()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Pv64, id: 1, privileged: false);
        Mfn top = Frame(d, 50);
        PutList(m, d, ListGpa, top.Value);
        Assert.That(Reservation(m, d, XenMem.DecreaseReservation, Res(d, 1)), Is.EqualTo(1));
        Assert.That(m.Hv.Memory.OwnerOf(top), Is.EqualTo(MachineMemory.OwnerFree));
        Assert.That(Frame(d, 50).IsValid, Is.False);
    }

    [Test]
    public void OnlyAPrivilegedCallerChangesAnotherDomainsReservation()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        PutList(m, d1, ListGpa, 10);
        Assert.That(Reservation(m, d1, XenMem.DecreaseReservation, Res(d1, 1, dom: 0)), Is.EqualTo(0));
        Assert.That(d0.TotPages, Is.EqualTo(64UL));
        PutList(m, d0, ListGpa, 10);
        Assert.That(Reservation(m, d0, XenMem.DecreaseReservation, Res(d0, 1, dom: 1)), Is.EqualTo(1));
        Assert.That(d1.TotPages, Is.EqualTo(63UL));
    }

    [Test]
    public void BadArgumentsReportTheStartExtent()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.MemoryOp, XenMem.PopulatePhysmap | (3UL << 6), 0xFFFF_FFFF_0000), Is.EqualTo(3), "unreadable argument");
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, (uint.MaxValue >> 6) + 1UL)), Is.EqualTo(0), "too long to encode a continuation");
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 1, dom: 9)), Is.EqualTo(0), "no such domain");
        m.PokeStruct(d, ArgGpa, Res(d, 2));
        Assert.That(Op(m, d, XenMem.PopulatePhysmap | (5UL << 6)), Is.EqualTo(5), "start beyond the list");
        Assert.That(Reservation(m, d, XenMem.PopulatePhysmap, Res(d, 1, listGpa: 0x7_0000_0000)), Is.EqualTo(0), "list outside the guest");
    }

    [Test]
    public void ALongListContinuesThroughTheCommandsExtentBits()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d.MaxPages = 100;
        PutList(m, d, ListGpa, 100, 101, 102, 103);
        m.PokeStruct(d, ArgGpa, Res(d, 4));
        m.Platform.PreemptAfterChecks = 1;
        Op(m, d, XenMem.PopulatePhysmap);
        Assert.That(m.LastCallRestarted, Is.True);
        ulong cmd = d.Vcpus[0].Regs[HypercallRegisters.ArgRegister(d.Mode, 0)];
        Assert.That(cmd, Is.EqualTo(XenMem.PopulatePhysmap | (2UL << XenMem.ExtentShift)));
        m.Platform.PreemptAfterChecks = int.MaxValue;
        Assert.That(m.Resume(d.Vcpus[0]), Is.EqualTo(4));
        Assert.That(Frame(d, 103).IsValid, Is.True);
    }

    [Test]
    public void CompatCallersUseFourByteListsAndTheShortStruct()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm32, id: 1, privileged: false);
        d.MaxPages = 100;
        PutList32(m, d, ListGpa, 100, 101);
        m.PokeStruct(d, ArgGpa, new XenMemoryReservationCompat { ExtentStart = (uint)ListGpa, NrExtents = 2, DomId = Self });
        Assert.That(Op(m, d, XenMem.PopulatePhysmap), Is.EqualTo(2));
        Assert.That(Frame(d, 101).IsValid, Is.True);
    }

    [Test]
    public void ReservationStatsAnswerForSelfAndOthersAsXsmAllows()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false, pages: 32);
        d1.MaxPages = 48;
        m.PokeStruct(d0, ArgGpa, new XenMemoryDomain { DomId = 1 });
        Assert.That(Op(m, d0, XenMem.CurrentReservation), Is.EqualTo(32));
        Assert.That(Op(m, d0, XenMem.MaximumReservation), Is.EqualTo(48));
        Assert.That(Op(m, d0, XenMem.MaximumGpfn), Is.EqualTo(31));
        m.PokeStruct(d1, ArgGpa, new XenMemoryDomain { DomId = 0 });
        Assert.That(Op(m, d1, XenMem.CurrentReservation), Is.EqualTo(-Errno.EPERM));
        m.PokeStruct(d1, ArgGpa, new XenMemoryDomain { DomId = 7 });
        Assert.That(Op(m, d1, XenMem.CurrentReservation), Is.EqualTo(-Errno.ESRCH));
        m.PokeStruct(d1, ArgGpa, new XenMemoryDomain { DomId = Self });
        Assert.That(Op(m, d1, XenMem.CurrentReservation | (1UL << 6)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Call(d1.Vcpus[0], HypercallNumber.MemoryOp, XenMem.CurrentReservation, 0x9_0000_0000), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void MaximumRamPageIsOnePastTheLastMachineFrame()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Arm, id: 1, privileged: false);
        Assert.That(Op(m, d, XenMem.MaximumRamPage), Is.EqualTo((long)(TestMachine.FirstFrame + TestMachine.DefaultRamPages)));
        Assert.That(Op(m, d, XenMem.MaximumRamPage | (1UL << 6)), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void SubOpsNotImplementedAreEnosysAndHvmHasNoMachphysMapping()
    {
        var m = Machine();
        var d = m.NewDomain(GuestMode.Hvm64, id: 0);
        foreach (int op in new[] { XenMem.MachphysMfnList, XenMem.MachphysMapping, XenMem.SetPodTarget, XenMem.GetPodTarget,
                     XenMem.PagingOp, XenMem.AccessOp, XenMem.SharingOp, XenMem.GetVnumainfo, XenMem.ReservedDeviceMemoryMap, 8, 29, 63 })
            Assert.That(Op(m, d, (ulong)op), Is.EqualTo(-Errno.ENOSYS), $"XENMEM {op}");
    }

    [Test]
    public void DestroyingADomainReturnsEveryFrameItOwned()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        ulong free = m.Hv.Memory.FreeFrames;
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d1.MaxPages = 100;
        PutList(m, d1, ListGpa, 500, 501);
        Reservation(m, d1, XenMem.PopulatePhysmap, Res(d1, 2));
        m.Hv.DestroyDomain(d1);
        Assert.That(m.Hv.Memory.FreeFrames, Is.EqualTo(free));
        Assert.That(d0.TotPages, Is.EqualTo(64UL));
    }
}

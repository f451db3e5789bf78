using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;
using static XenLite.Tests.MemoryOp.MemGuest;

namespace XenLite.Tests.MemoryOp;

[Category("memory_op")]
public class MapsClaimsResourceTests : OwnershipCheckedTest
{
    [Test]
    public void MemoryMapIsEnosysUntilAToolstackSetsOne()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d1, ArgGpa, new XenMemoryMap { NrEntries = 4, Buffer = ListGpa });
        Assert.That(Op(m, d1, XenMem.MemoryMap), Is.EqualTo(-Errno.ENOSYS));

        m.PokeStruct(d0, ListGpa, new E820Entry { Addr = 0, Size = 0x40000, Type = E820Entry.Ram });
        m.PokeStruct(d0, ListGpa + 20, new E820Entry { Addr = 0xFC000000, Size = 0x1000, Type = E820Entry.Reserved });
        m.PokeStruct(d0, ArgGpa, new XenForeignMemoryMap { DomId = 1, Map = new XenMemoryMap { NrEntries = 2, Buffer = ListGpa } });
        Assert.That(Op(m, d0, XenMem.SetMemoryMap), Is.EqualTo(0));

        m.PokeStruct(d1, ArgGpa, new XenMemoryMap { NrEntries = 1, Buffer = ListGpa });
        Assert.That(Op(m, d1, XenMem.MemoryMap), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenMemoryMap>(d1, ArgGpa).NrEntries, Is.EqualTo(1u), "clipped to the buffer");
        Assert.That(m.PeekStruct<E820Entry>(d1, ListGpa).Size, Is.EqualTo(0x40000UL));
        m.PokeStruct(d1, ArgGpa, new XenMemoryMap { NrEntries = 9, Buffer = ListGpa });
        Assert.That(Op(m, d1, XenMem.MemoryMap), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenMemoryMap>(d1, ArgGpa).NrEntries, Is.EqualTo(2u));
    }

    [Test]
    public void SetMemoryMapChecksSizeAndPrivilege()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d0, ArgGpa, new XenForeignMemoryMap { DomId = 1, Map = new XenMemoryMap { NrEntries = E820Entry.Max + 1, Buffer = ListGpa } });
        Assert.That(Op(m, d0, XenMem.SetMemoryMap), Is.EqualTo(-Errno.EINVAL));
        m.PokeStruct(d1, ArgGpa, new XenForeignMemoryMap { DomId = 0, Map = new XenMemoryMap { NrEntries = 1, Buffer = ListGpa } });
        Assert.That(Op(m, d1, XenMem.SetMemoryMap), Is.EqualTo(-Errno.EPERM));
        m.PokeStruct(d0, ArgGpa, new XenForeignMemoryMap { DomId = 1, Map = new XenMemoryMap { NrEntries = 1, Buffer = 0x9_0000_0000 } });
        Assert.That(Op(m, d0, XenMem.SetMemoryMap), Is.EqualTo(-Errno.EFAULT));
        Assert.That(d1.MemoryMap, Is.Null);
    }

    [Test]
    public void MachineMemoryMapIsForThePrivileged()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d0, ArgGpa, new XenMemoryMap { NrEntries = 4, Buffer = ListGpa });
        Assert.That(Op(m, d0, XenMem.MachineMemoryMap), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenMemoryMap>(d0, ArgGpa).NrEntries, Is.EqualTo(1u));
        var e = m.PeekStruct<E820Entry>(d0, ListGpa);
        Assert.That((e.Addr, e.Size, e.Type), Is.EqualTo((TestMachine.FirstFrame << 12, TestMachine.DefaultRamPages << 12, E820Entry.Ram)));
        m.PokeStruct(d0, ArgGpa, new XenMemoryMap { NrEntries = 1, Buffer = ListGpa });
        Assert.That(Op(m, d0, XenMem.MachineMemoryMap), Is.EqualTo(-Errno.EINVAL), "room for the map plus one is required");
        m.PokeStruct(d0, ArgGpa, new XenMemoryMap { NrEntries = 0, Buffer = 0 });
        Assert.That(Op(m, d0, XenMem.MachineMemoryMap), Is.EqualTo(0), "a null buffer asks for the count");
        Assert.That(m.PeekStruct<XenMemoryMap>(d0, ArgGpa).NrEntries, Is.EqualTo(1u));
        Assert.That(Op(m, d1, XenMem.MachineMemoryMap), Is.EqualTo(-Errno.EPERM));
    }

    [Test]
    public void CompatMemoryMapUsesTheShortLayout()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm32, id: 0);
        m.PokeStruct(d0, ArgGpa, new XenMemoryMapCompat { NrEntries = 4, Buffer = (uint)ListGpa });
        Assert.That(Op(m, d0, XenMem.MachineMemoryMap), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenMemoryMapCompat>(d0, ArgGpa).NrEntries, Is.EqualTo(1u));
        Assert.That(m.PeekStruct<E820Entry>(d0, ListGpa).Type, Is.EqualTo(E820Entry.Ram));
    }

    [Test]
    public void ArmHasNoE820SubOps()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Arm, id: 0);
        foreach (int op in new[] { XenMem.MemoryMap, XenMem.MachineMemoryMap, XenMem.SetMemoryMap })
            Assert.That(Op(m, d0, (ulong)op), Is.EqualTo(-Errno.ENOSYS));
    }

    static XenMemoryReservation Claim(ulong pages, ushort dom) => new() { NrExtents = pages, DomId = dom };

    [Test]
    public void AClaimReservesFreeMemoryForOneDomain()
    {
        var m = Machine(ramPages: 512);
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d0.MaxPages = d1.MaxPages = 1000;
        ulong free = m.Hv.Memory.FreeFrames;
        m.PokeStruct(d0, ArgGpa, Claim(64 + free, 1));
        Assert.That(Op(m, d0, XenMem.ClaimPages), Is.EqualTo(0));
        Assert.That(d1.OutstandingPages, Is.EqualTo(free));

        PutList(m, d0, ListGpa, 0x300);
        Assert.That(Reservation(m, d0, XenMem.PopulatePhysmap, Res(d0, 1)), Is.EqualTo(0), "every free frame is claimed by d1");
        PutList(m, d1, ListGpa, 0x300);
        Assert.That(Reservation(m, d1, XenMem.PopulatePhysmap, Res(d1, 1)), Is.EqualTo(1));
        Assert.That(d1.OutstandingPages, Is.EqualTo(free - 1));

        m.PokeStruct(d0, ArgGpa, Claim(0, 1));
        Assert.That(Op(m, d0, XenMem.ClaimPages), Is.EqualTo(0), "0 cancels");
        Assert.That(m.Hv.Memory.OutstandingClaims, Is.EqualTo(0UL));
        PutList(m, d0, ListGpa, 0x300);
        Assert.That(Reservation(m, d0, XenMem.PopulatePhysmap, Res(d0, 1)), Is.EqualTo(1));
    }

    [Test]
    public void ClaimsAreCheckedAsXenDoes()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        d1.MaxPages = 1_000_000;
        m.PokeStruct(d0, ArgGpa, Claim(64, 1));
        Assert.That(Op(m, d0, XenMem.ClaimPages), Is.EqualTo(-Errno.EINVAL), "not more than it has");
        m.PokeStruct(d0, ArgGpa, Claim(1_000_000, 1));
        Assert.That(Op(m, d0, XenMem.ClaimPages), Is.EqualTo(-Errno.ENOMEM));
        m.PokeStruct(d0, ArgGpa, new XenMemoryReservation { NrExtents = 100, DomId = 1, ExtentOrder = 1 });
        Assert.That(Op(m, d0, XenMem.ClaimPages), Is.EqualTo(-Errno.EINVAL));
        m.PokeStruct(d0, ArgGpa, new XenMemoryReservation { NrExtents = 100, DomId = 1, ExtentStart = 8 });
        Assert.That(Op(m, d0, XenMem.ClaimPages), Is.EqualTo(-Errno.EINVAL));
        m.PokeStruct(d0, ArgGpa, Claim(100, Self));
        Assert.That(Op(m, d0, XenMem.ClaimPages), Is.EqualTo(-Errno.EINVAL), "claims name a real domain id");
        m.PokeStruct(d1, ArgGpa, Claim(100, 1));
        Assert.That(Op(m, d1, XenMem.ClaimPages), Is.EqualTo(-Errno.EPERM));
        m.PokeStruct(d0, ArgGpa, Claim(100, 1));
        Assert.That(Op(m, d0, XenMem.ClaimPages), Is.EqualTo(0));
        Assert.That(Op(m, d0, XenMem.ClaimPages), Is.EqualTo(-Errno.EINVAL), "one claim at a time");
    }

    static XenMemAcquireResource Acq(ushort dom, uint id, uint nr, ulong frame = 0, ulong list = 0) =>
        new() { DomId = dom, Type = XenMemResource.GrantTable, Id = id, NrFrames = nr, Frame = frame, FrameList = list };

    [Test]
    public void AcquireResourceReportsItsSize()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d0, ArgGpa, Acq(1, XenMemResource.GrantTableIdShared, 0));
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenMemAcquireResource>(d0, ArgGpa).NrFrames, Is.EqualTo(64u));
        m.PokeStruct(d0, ArgGpa, Acq(1, XenMemResource.GrantTableIdStatus, 0));
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(0));
        Assert.That(m.PeekStruct<XenMemAcquireResource>(d0, ArgGpa).NrFrames, Is.EqualTo(8u));
    }

    [Test]
    public void AcquireResourceRefusals()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        var a = Acq(1, 7, 0);
        m.PokeStruct(d0, ArgGpa, a);
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(-Errno.EINVAL), "unknown id");
        a = Acq(1, 0, 0); a.Pad = 1;
        m.PokeStruct(d0, ArgGpa, a);
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(-Errno.EINVAL), "pad");
        m.PokeStruct(d0, ArgGpa, Acq(1, 0, 1, frame: 1UL << 32, list: ListGpa));
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(-Errno.EINVAL), "frame beyond 32 bits");
        m.PokeStruct(d0, ArgGpa, Acq(0, 0, 0));
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(-Errno.EPERM), "not oneself");
        m.PokeStruct(d0, ArgGpa, Acq(5, 0, 0));
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(-Errno.ESRCH));
        m.PokeStruct(d1, ArgGpa, Acq(0, 0, 0));
        Assert.That(Op(m, d1, XenMem.AcquireResource), Is.EqualTo(-Errno.EPERM), "device-model privilege needed");
        m.PokeStruct(d0, ArgGpa, Acq(1, XenMemResource.GrantTableIdStatus, 1, list: ListGpa));
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(-Errno.EINVAL), "status frames exist only in v2");
        m.PokeStruct(d0, ArgGpa, Acq(1, 0, 1, frame: 64, list: ListGpa));
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(-Errno.EINVAL), "beyond max_grant_frames");
    }

    [Test]
    public void ATranslatedCallerGetsTheFramesAsForeignMappings()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        PutList(m, d0, ListGpa, 0x800, 0x801);
        m.PokeStruct(d0, ArgGpa, Acq(1, 0, 2, list: ListGpa));
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(0));
        Assert.That(d1.Grants.NrFrames, Is.EqualTo(2u), "the table grew to cover the request");
        Assert.That(Frame(d0, 0x801).Value, Is.EqualTo(d1.Grants.SharedFrame(1).Value));
        Assert.That(d0.P2m.TypeOf(new Gfn(0x800)), Is.EqualTo(P2mType.Foreign));
        // What d1 writes in its grant table, d0 reads through the mapping.
        unsafe { d1.Grants.V1(3)->Frame = 0xBEEF; }
        Assert.That(m.PeekStruct<uint>(d0, 0x800 * 4096 + 3 * 8 + 4), Is.EqualTo(0xBEEFu));
    }

    [Test]
    public void APvCallerGetsMachineFramesAndCompatOnesFourBytes()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Pv32, id: 0);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1, privileged: false);
        m.PokeStruct(d0, ArgGpa, new XenMemAcquireResourceCompat { DomId = 1, Type = XenMemResource.GrantTable, NrFrames = 2, FrameList = (uint)Addr(d0, ListGpa) });
        Assert.That(Op(m, d0, XenMem.AcquireResource), Is.EqualTo(0));
        Assert.That(m.PeekStruct<uint>(d0, ListGpa + 4), Is.EqualTo((uint)d1.Grants.SharedFrame(1).Value));
    }
}

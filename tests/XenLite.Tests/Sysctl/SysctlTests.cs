using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Domctl;
using XenLite.Tests.Harness;
using XenLite.Tests.MemoryOp;

namespace XenLite.Tests.Sysctl;

[Category("sysctl")]
public unsafe class SysctlTests : OwnershipCheckedTest
{
    const ulong Buf = DomctlRig.BufGpa;

    [Test]
    public void HeaderChecks()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(m.Sysctl(d0.Vcpus[0], SysctlCmd.SchedId, version: SysctlCmd.InterfaceVersion - 1), Is.EqualTo(-Errno.EACCES));
        Assert.That(m.Sysctl(u.Vcpus[0], SysctlCmd.SchedId), Is.EqualTo(-Errno.EPERM), "dummy XSM: privileged only");
        Assert.That(m.Call(d0.Vcpus[0], HypercallNumber.Sysctl, 0x7FFF_0000), Is.EqualTo(-Errno.EFAULT));
        Assert.That(m.Sysctl(d0.Vcpus[0], SysctlCmd.TbufOp), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(m.Sysctl(d0.Vcpus[0], 99), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void SchedIdIsNull()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm32);
        Assert.That(m.Sysctl(d0.Vcpus[0], SysctlCmd.SchedId), Is.Zero);
        Assert.That(m.SysUnion<SysctlSchedId>(d0.Vcpus[0]).SchedId, Is.EqualTo(XenScheduler.Null));
    }

    static DomctlRig.UnionFill Read(uint count, byte clear = 0, byte incremental = 0, uint index = 0) =>
        DomctlRig.With(new SysctlReadConsole { Buffer = Buf, Count = count, Clear = clear, Incremental = incremental, Index = index });

    [Test]
    public void ReadConsoleReturnsTheRingAndClears()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var v = d0.Vcpus[0];
        m.Hv.Console.Write("hello world");
        Assert.That(m.Sysctl(v, SysctlCmd.ReadConsole, Read(5)), Is.Zero);
        var r = m.SysUnion<SysctlReadConsole>(v);
        Assert.That((r.Count, r.Index), Is.EqualTo((5u, 5u)));
        Assert.That(Encoding.ASCII.GetString(m.Peek(d0, Buf, 5)), Is.EqualTo("hello"));

        Assert.That(m.Sysctl(v, SysctlCmd.ReadConsole, Read(100)), Is.Zero, "without clear it starts again at the oldest byte");
        Assert.That(m.SysUnion<SysctlReadConsole>(v).Count, Is.EqualTo(11u));

        Assert.That(m.Sysctl(v, SysctlCmd.ReadConsole, Read(6, clear: 1)), Is.Zero);
        m.Hv.Console.Write("!");
        Assert.That(m.Sysctl(v, SysctlCmd.ReadConsole, Read(100)), Is.Zero);
        r = m.SysUnion<SysctlReadConsole>(v);
        Assert.That(Encoding.ASCII.GetString(m.Peek(d0, Buf, (int)r.Count)), Is.EqualTo("world!"), "clear consumed what was read");
        Assert.That(r.Index, Is.EqualTo(12u));
    }

    [Test]
    public void IncrementalReadStartsAtTheIndexWhenInsideTheRing()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var v = d0.Vcpus[0];
        m.Hv.Console.Write("abcdef");
        Assert.That(m.Sysctl(v, SysctlCmd.ReadConsole, Read(100, incremental: 1, index: 4)), Is.Zero);
        Assert.That(Encoding.ASCII.GetString(m.Peek(d0, Buf, (int)m.SysUnion<SysctlReadConsole>(v).Count)), Is.EqualTo("ef"));
        Assert.That(m.Sysctl(v, SysctlCmd.ReadConsole, Read(100, incremental: 1, index: 9)), Is.Zero, "beyond the producer: from the start");
        Assert.That(m.SysUnion<SysctlReadConsole>(v).Count, Is.EqualTo(6u));
        var bad = new SysctlReadConsole { Buffer = 0x7FFF_0000, Count = 4 };
        Assert.That(m.Sysctl(v, SysctlCmd.ReadConsole, DomctlRig.With(bad)), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void ReadConsoleKeepsOnlyTheLastRingful()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var v = d0.Vcpus[0];
        for (int i = 0; i < HvConsole.RingSize + 10; i++) m.Hv.Console.Put((byte)('a' + i % 26));
        Assert.That(m.Sysctl(v, SysctlCmd.ReadConsole, Read(4)), Is.Zero);
        Assert.That(m.Peek(d0, Buf, 1)[0], Is.EqualTo((byte)('a' + 10 % 26)), "the oldest byte still in the ring");
    }

    [Test]
    public void GetDomainInfoListFromFirstDomain()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        m.NewDomain(GuestMode.Hvm64, id: 2);
        m.NewDomain(GuestMode.Pv64, id: 5);
        var v = d0.Vcpus[0];
        DomctlRig.UnionFill List(ushort first, uint max, ulong buf = Buf) => DomctlRig.With(new SysctlGetDomainInfoList { FirstDomain = first, MaxDomains = max, Buffer = buf });
        Assert.That(m.Sysctl(v, SysctlCmd.GetDomainInfoList, List(1, 10)), Is.Zero);
        Assert.That(m.SysUnion<SysctlGetDomainInfoList>(v).NumDomains, Is.EqualTo(2u));
        Assert.That(m.PeekStruct<DomctlGetDomainInfo>(d0, Buf).Domain, Is.EqualTo(2));
        Assert.That(m.PeekStruct<DomctlGetDomainInfo>(d0, Buf + DomctlGetDomainInfo.SizeX86).Domain, Is.EqualTo(5));
        Assert.That(m.Sysctl(v, SysctlCmd.GetDomainInfoList, List(0, 1)), Is.Zero);
        Assert.That(m.SysUnion<SysctlGetDomainInfoList>(v).NumDomains, Is.EqualTo(1u), "max_domains");
        Assert.That(m.Sysctl(v, SysctlCmd.GetDomainInfoList, List(0, 5, 0x7FFF_0000)), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void PhysInfoDescribesTheMachine()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var v = d0.Vcpus[0];
        Assert.That(m.Sysctl(v, SysctlCmd.PhysInfo), Is.Zero);
        var p = m.SysUnion<SysctlPhysInfo>(v);
        Assert.That((p.NrCpus, p.MaxCpuId, p.NrNodes, p.ThreadsPerCore, p.CoresPerSocket), Is.EqualTo((1u, 0u, 1u, 1u, 1u)));
        Assert.That((p.TotalPages, p.FreePages, p.MaxMfn), Is.EqualTo((m.Hv.Memory.FrameCount, m.Hv.Memory.FreeFrames, m.Hv.Memory.MaxPage - 1)));
        Assert.That(p.CpuKhz, Is.EqualTo((uint)(m.Hv.Clock.TscHz / 1000)));
        uint want = SysctlConst.PhysCapHvm | SysctlConst.PhysCapPv | SysctlConst.PhysCapHap | SysctlConst.PhysCapGnttabV1 | SysctlConst.PhysCapGnttabV2;
        Assert.That(p.Capabilities, Is.EqualTo(want));
        var arm = Machine();
        var a0 = arm.NewDomain(GuestMode.Arm);
        Assert.That(arm.Sysctl(a0.Vcpus[0], SysctlCmd.PhysInfo), Is.Zero);
        Assert.That(arm.SysUnion<SysctlPhysInfo>(a0.Vcpus[0]).Capabilities & SysctlConst.PhysCapPv, Is.Zero, "no PV on arm");
    }

    [Test]
    public void GetCpuInfoGivesIdleTimePerCpu()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var v = d0.Vcpus[0];
        m.Platform.Now = 5_000_000;
        Assert.That(m.Sysctl(v, SysctlCmd.GetCpuInfo, DomctlRig.With(new SysctlGetCpuInfo { MaxCpus = 8, Info = Buf })), Is.Zero);
        Assert.That(m.SysUnion<SysctlGetCpuInfo>(v).NrCpus, Is.EqualTo(1u));
        Assert.That(m.PeekStruct<ulong>(d0, Buf), Is.LessThanOrEqualTo(5_000_000UL));
        Assert.That(m.Sysctl(v, SysctlCmd.GetCpuInfo, DomctlRig.With(new SysctlGetCpuInfo { MaxCpus = 0, Info = Buf })), Is.Zero);
        Assert.That(m.SysUnion<SysctlGetCpuInfo>(v).NrCpus, Is.Zero);
        Assert.That(m.Sysctl(v, SysctlCmd.GetCpuInfo, DomctlRig.With(new SysctlGetCpuInfo { MaxCpus = 1, Info = 0x7FFF_0000 })), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void CpuTopoAndNumaInfo()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var v = d0.Vcpus[0];
        Assert.That(m.Sysctl(v, SysctlCmd.CpuTopoInfo, DomctlRig.With(new SysctlCpuTopoInfo { NumCpus = 0 })), Is.Zero);
        Assert.That(m.SysUnion<SysctlCpuTopoInfo>(v).NumCpus, Is.EqualTo(1u), "null handle: the count");
        m.PokeStruct(d0, Buf, new SysctlCpuTopo { Core = 7, Socket = 7, Node = 7 });
        Assert.That(m.Sysctl(v, SysctlCmd.CpuTopoInfo, DomctlRig.With(new SysctlCpuTopoInfo { NumCpus = 4, CpuTopo = Buf })), Is.Zero);
        var t = m.PeekStruct<SysctlCpuTopo>(d0, Buf);
        Assert.That((t.Core, t.Socket, t.Node), Is.EqualTo((0u, 0u, 0u)));

        Assert.That(m.Sysctl(v, SysctlCmd.NumaInfo, DomctlRig.With(new SysctlNumaInfo { NumNodes = 4, MemInfo = Buf, Distance = DomctlRig.Buf2Gpa })), Is.Zero);
        Assert.That(m.SysUnion<SysctlNumaInfo>(v).NumNodes, Is.EqualTo(1u));
        var mi = m.PeekStruct<SysctlMemInfo>(d0, Buf);
        Assert.That((mi.MemSize, mi.MemFree), Is.EqualTo((m.Hv.Memory.FrameCount * 4096, m.Hv.Memory.FreeFrames * 4096)));
        Assert.That(m.PeekStruct<uint>(d0, DomctlRig.Buf2Gpa), Is.EqualTo(SysctlConst.LocalDistance));
        Assert.That(m.Sysctl(v, SysctlCmd.NumaInfo, DomctlRig.With(new SysctlNumaInfo { NumNodes = 1, MemInfo = 0x7FFF_0000 })), Is.EqualTo(-Errno.EFAULT));
    }

    static DomctlRig.UnionFill Pool(uint op, uint id = 0, uint cpu = 0, uint domid = 0) =>
        DomctlRig.With(new SysctlCpupoolOp { Op = op, CpupoolId = id, Cpu = cpu, DomId = domid, Cpumap = new XenctlBitmap { Bitmap = Buf, NrBits = 16 } });

    [Test]
    public void CpupoolZeroIsTheOnlyPool()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        m.NewDomain(GuestMode.Hvm64, id: 1);
        var v = d0.Vcpus[0];
        m.Poke(d0, Buf, new byte[] { 0xFF, 0xFF });
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolInfo)), Is.Zero);
        var p = m.SysUnion<SysctlCpupoolOp>(v);
        Assert.That((p.CpupoolId, p.SchedId, p.NDom), Is.EqualTo((0u, XenScheduler.Null, 2u)));
        Assert.That(m.Peek(d0, Buf, 2), Is.EqualTo(new byte[] { 0x01, 0x00 }));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolInfo, id: 1)), Is.EqualTo(-Errno.ENOENT));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolCreate, id: 0)), Is.EqualTo(-Errno.EEXIST));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolCreate, id: SysctlConst.CpupoolParAny)), Is.EqualTo(-Errno.ENOSPC));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolDestroy, id: 0)), Is.EqualTo(-Errno.EBUSY));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolDestroy, id: 2)), Is.EqualTo(-Errno.ENOENT));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolAddCpu, cpu: SysctlConst.CpupoolParAny)), Is.EqualTo(-Errno.ENODEV));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolAddCpu, cpu: 4)), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolRmCpu, cpu: 0)), Is.EqualTo(-Errno.EBUSY));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolMoveDomain, id: 0, domid: 1)), Is.Zero);
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolMoveDomain, id: 3, domid: 1)), Is.EqualTo(-Errno.ENOENT));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolMoveDomain, id: 0, domid: 0)), Is.EqualTo(-Errno.EPERM));
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolMoveDomain, id: 0, domid: 9)), Is.EqualTo(-Errno.ESRCH));
        m.Poke(d0, Buf, new byte[] { 0xFF, 0xFF });
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(SysctlConst.CpupoolFreeInfo)), Is.Zero);
        Assert.That(m.Peek(d0, Buf, 2), Is.EqualTo(new byte[] { 0, 0 }), "no free CPUs");
        Assert.That(m.Sysctl(v, SysctlCmd.CpupoolOp, Pool(99)), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void CpuFeaturesetSizesAndIndices()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var v = d0.Vcpus[0];
        Assert.That(m.Sysctl(v, SysctlCmd.GetCpuFeatureset, DomctlRig.With(new SysctlCpuFeatureset { Index = 0 })), Is.Zero);
        Assert.That(m.SysUnion<SysctlCpuFeatureset>(v).NrFeatures, Is.EqualTo(19u), "null handle: FSCAPINTS");
        Assert.That(m.Sysctl(v, SysctlCmd.GetCpuFeatureset, DomctlRig.With(new SysctlCpuFeatureset { Index = 1, NrFeatures = 32, Features = Buf })), Is.Zero);
        Assert.That(m.SysUnion<SysctlCpuFeatureset>(v).NrFeatures, Is.EqualTo(19u));
        Assert.That(m.Sysctl(v, SysctlCmd.GetCpuFeatureset, DomctlRig.With(new SysctlCpuFeatureset { Index = 1, NrFeatures = 4, Features = Buf })), Is.EqualTo(-Errno.ENOBUFS));
        Assert.That(m.SysUnion<SysctlCpuFeatureset>(v).NrFeatures, Is.EqualTo(4u), "how many were written");
        Assert.That(m.Sysctl(v, SysctlCmd.GetCpuFeatureset, DomctlRig.With(new SysctlCpuFeatureset { Index = 6, NrFeatures = 19, Features = Buf })), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Sysctl(v, SysctlCmd.GetCpuFeatureset, DomctlRig.With(new SysctlCpuFeatureset { Index = 1, NrFeatures = 19, Features = 0x7FFF_0000 })), Is.EqualTo(-Errno.EFAULT));
        var arm = Machine();
        var a0 = arm.NewDomain(GuestMode.Arm);
        Assert.That(arm.Sysctl(a0.Vcpus[0], SysctlCmd.GetCpuFeatureset), Is.EqualTo(-Errno.ENOSYS), "x86 only");
    }
}

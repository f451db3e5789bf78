using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Tests.Harness;
using static XenLite.Tests.PlatformOp.PlatformRig;
using F = XenLite.Hv.Abi.XenPf;

namespace XenLite.Tests.PlatformOp;

/// <summary>platform_op: interface version, XSM, and each XENPF_* on XenLite's one-CPU machine.</summary>
[Category("platform_op")]
public unsafe class PlatformOpTests
{
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Arm)]
    public void VersionThenPrivilegeAreChecked(GuestMode mode)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(mode, 0).Vcpus[0];
        var guest = m.NewDomain(mode, 1).Vcpus[0];
        Assert.That(Call(m, guest, F.Settime64, new XenPfSettime64(), 0x03000000), Is.EqualTo(-Errno.EACCES));
        Assert.That(Call(m, guest, F.Settime64, new XenPfSettime64()), Is.EqualTo(-Errno.EPERM));
        Assert.That(Call(m, dom0, F.Settime64, new XenPfSettime64 { Secs = 10 }), Is.EqualTo(0));
        Assert.That(m.Call(dom0, HypercallNumber.PlatformOp, Unmapped), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Arm)]
    public void Settime64SetsTheWallclockOfEveryDomain(GuestMode mode)
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(mode, 0);
        var guest = m.NewDomain(mode, 1);
        Assert.That(Call(m, dom0.Vcpus[0], F.Settime64, new XenPfSettime64 { Secs = 1_700_000_000, Nsecs = 5, SystemTime = 2_000_000_001 }), Is.EqualTo(0));
        Assert.That(m.Hv.Clock.WallclockSec, Is.EqualTo(1_699_999_998UL));
        Assert.That(m.Hv.Clock.WallclockNsec, Is.EqualTo(4u));
        var shared = guest.SharedInfo;
        uint sec = *(uint*)(shared.Base + shared.Layout.WcVersion + 4);
        Assert.That(sec, Is.EqualTo(1_699_999_998u));
        Assert.That(Call(m, dom0.Vcpus[0], F.Settime64, new XenPfSettime64 { Secs = 1, Mbz = 1 }), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void Settime32IsX86Only()
    {
        using var m = new TestMachine();
        var x86 = m.NewDomain(GuestMode.Hvm32, 0);
        Assert.That(Call(m, x86.Vcpus[0], F.Settime32, new XenPfSettime32 { Secs = 100, Nsecs = 7, SystemTime = 1_000_000_000 }), Is.EqualTo(0));
        Assert.That(m.Hv.Clock.WallclockSec, Is.EqualTo(99UL));
        Assert.That(m.Hv.Clock.WallclockNsec, Is.EqualTo(7u));
        using var a = new TestMachine();
        var arm = a.NewDomain(GuestMode.Arm, 0);
        Assert.That(Call(a, arm.Vcpus[0], F.Settime32, new XenPfSettime32 { Secs = 100 }), Is.EqualTo(-Errno.ENOSYS));
        Assert.That(Call(a, arm.Vcpus[0], F.GetCpuinfo, new XenPfPcpuInfo()), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void GetCpuinfoKnowsOneCpu()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, 0);
        Assert.That(Call(m, d.Vcpus[0], F.GetCpuinfo, new XenPfPcpuInfo { XenCpuid = 0 }), Is.EqualTo(0));
        var info = Result<XenPfPcpuInfo>(m, d);
        Assert.That(info.Flags, Is.EqualTo(F.PcpuFlagsOnline));
        Assert.That(info.MaxPresent, Is.EqualTo(0));
        Assert.That(Call(m, d.Vcpus[0], F.GetCpuinfo, new XenPfPcpuInfo { XenCpuid = 1 }), Is.EqualTo(0));
        Assert.That(Result<XenPfPcpuInfo>(m, d).Flags, Is.EqualTo(F.PcpuFlagsInvalid));
    }

    [Test]
    public void GetCpuVersionReportsTheVendorOfCpu0Only()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, 0);
        Assert.That(Call(m, d.Vcpus[0], F.GetCpuVersion, new XenPfPcpuVersion { XenCpuid = 0 }), Is.EqualTo(0));
        var ver = Result<XenPfPcpuVersion>(m, d);
        Assert.That(Encoding.ASCII.GetString(m.Peek(d, UnionGpa + 8, 12)), Is.EqualTo("AuthenticAMD"));
        Assert.That(ver.Family, Is.EqualTo(Hv.Common.PlatformOp.PhysicalCpu.Family));
        Assert.That(Call(m, d.Vcpus[0], F.GetCpuVersion, new XenPfPcpuVersion { XenCpuid = 3, Family = 9 }), Is.EqualTo(0));
        Assert.That(Result<XenPfPcpuVersion>(m, d).Family, Is.EqualTo(0));
        Assert.That(m.Peek(d, UnionGpa + 8, 12), Is.All.EqualTo(0));
    }

    [Test]
    public void UcodeRevisionIsForCpu0()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, 0);
        Assert.That(Call(m, d.Vcpus[0], F.GetUcodeRevision, new XenPfUcodeRevision()), Is.EqualTo(0));
        Assert.That(Result<XenPfUcodeRevision>(m, d).Signature, Is.EqualTo(Hv.Common.PlatformOp.PhysicalCpu.Signature));
        Assert.That(Call(m, d.Vcpus[0], F.GetUcodeRevision, new XenPfUcodeRevision { Cpu = 1 }), Is.EqualTo(-Errno.ENOENT));
    }

    [TestCase(F.CpuOnline, 0u, 0)]
    [TestCase(F.CpuOnline, 1u, -Errno.EINVAL)]
    [TestCase(F.CpuOffline, 0u, -Errno.EOPNOTSUPP)]
    [TestCase(F.CpuOffline, 1u, -Errno.EINVAL)]
    public void OnlyCpu0ExistsAndStaysOnline(int cmd, uint cpu, int rc)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, 0);
        Assert.That(Call(m, d.Vcpus[0], cmd, cpu), Is.EqualTo(rc));
    }

    [Test]
    public void MemtypesHaveNoMtrrInterface()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        Assert.That(Call(m, v, F.AddMemtype, new XenPfSettime64()), Is.EqualTo(-Errno.ENXIO));
        Assert.That(Call(m, v, F.DelMemtype, new XenPfDelMemtype { Handle = 0, Reg = 0 }), Is.EqualTo(-Errno.ENXIO));
        Assert.That(Call(m, v, F.DelMemtype, new XenPfDelMemtype { Handle = 1, Reg = 0 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, v, F.DelMemtype, new XenPfDelMemtype { Handle = 0, Reg = 0x8000_0000 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, v, F.ReadMemtype, 0u), Is.EqualTo(-Errno.EINVAL));
    }

    [TestCase(F.MicrocodeUpdate, -Errno.EOPNOTSUPP)]
    [TestCase(F.MicrocodeUpdate2, -Errno.EOPNOTSUPP)]
    [TestCase(F.EfiRuntimeCall, -Errno.ENOSYS)]
    [TestCase(F.ChangeFreq, -Errno.ENOSYS)]
    [TestCase(F.Getidletime, -Errno.ENOSYS)]
    [TestCase(F.GetDom0Console, -Errno.ENODEV)]
    [TestCase(F.MemHotadd, -Errno.EINVAL)]
    [TestCase(1, -Errno.ENOSYS)]
    [TestCase(67, -Errno.ENOSYS)]
    public void AbsentFacilitiesAnswerAsXen(int cmd, int rc)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        Assert.That(Call(m, v, cmd), Is.EqualTo(rc));
    }

    [TestCase(1u, 0)]
    [TestCase(2u, 0)]
    [TestCase(3u, 0)]
    [TestCase(0u, -Errno.EINVAL)]
    [TestCase(4u, -Errno.EINVAL)]
    public void PlatformQuirks(uint quirk, int rc)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        Assert.That(Call(m, v, F.PlatformQuirk, quirk), Is.EqualTo(rc));
    }

    [TestCase(F.FwDiskInfo, 0u, -Errno.ESRCH)]
    [TestCase(F.FwDiskMbrSignature, 0u, -Errno.ESRCH)]
    [TestCase(F.FwVbeddcInfo, 0u, -Errno.ESRCH)]
    [TestCase(F.FwEfiInfo, 0u, -Errno.ENOSYS)]
    [TestCase(F.FwKbdShiftFlags, 1u, -Errno.ESRCH)]
    [TestCase(F.FwKbdShiftFlags, 0u, 0)]
    [TestCase(9u, 0u, -Errno.EINVAL)]
    public void FirmwareInfoHasNothingFromTheBios(uint type, uint index, int rc)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, 0);
        m.Poke(d, UnionGpa + 8, new byte[] { 0xFF });
        Assert.That(Call(m, d.Vcpus[0], F.FirmwareInfo, new XenPfFirmwareInfoHeader { Type = type, Index = index }), Is.EqualTo(rc));
        if (rc == 0) Assert.That(m.Peek(d, UnionGpa + 8, 1)[0], Is.EqualTo(0), "kbd_shift_flags");
    }

    [TestCase(3u, 0u, -Errno.EOPNOTSUPP)]
    [TestCase(5u, 0u, -Errno.EPERM)]
    [TestCase(5u, 1u, -Errno.EPERM)]
    public void AcpiSleepHasNoRegisters(uint state, uint flags, int rc)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        Assert.That(Call(m, v, F.EnterAcpiSleep, new XenPfEnterAcpiSleep { SleepState = state, Flags = flags }), Is.EqualTo(rc));
    }

    [TestCase(F.PmPx, 0)]
    [TestCase(F.PmCppc, 0)]
    [TestCase(F.PmCx, -Errno.ENOSYS)]
    [TestCase(F.PmTx, -Errno.ENOSYS)]
    [TestCase(F.PmPdc, -Errno.ENOSYS)]
    [TestCase(7u, -Errno.EINVAL)]
    public void ProcessorPminfo(uint type, int rc)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        Assert.That(Call(m, v, F.SetProcessorPminfo, new XenPfPminfoHeader { Id = 0, Type = type }), Is.EqualTo(rc));
    }

    [Test]
    public void CpuHotaddChecksRangesAndCannotAddACpu()
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        Assert.That(Call(m, v, F.CpuHotadd, new XenPfCpuHotadd { AcpiId = 256 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, v, F.CpuHotadd, new XenPfCpuHotadd { Pxm = 256 }), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Call(m, v, F.CpuHotadd, new XenPfCpuHotadd { ApicId = 2, AcpiId = 2 }), Is.EqualTo(-Errno.EOPNOTSUPP));
    }

    [Test]
    public void CoreParkingWithOneCpu()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, 0);
        Assert.That(Call(m, d.Vcpus[0], F.CoreParking, new XenPfCoreParking { Type = F.CoreParkingSet, IdleNums = 3 }), Is.EqualTo(0));
        Assert.That(Call(m, d.Vcpus[0], F.CoreParking, new XenPfCoreParking { Type = F.CoreParkingGet, IdleNums = 7 }), Is.EqualTo(0));
        Assert.That(Result<XenPfCoreParking>(m, d).IdleNums, Is.EqualTo(0));
        Assert.That(Call(m, d.Vcpus[0], F.CoreParking, new XenPfCoreParking { Type = 3 }), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void ResourceOpRefusesEveryMsrInEntryZero()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, 0);
        var v = d.Vcpus[0];
        const ulong entries = 0x6000;
        Assert.That(Call(m, v, F.ResourceOp, new XenPfResourceOpHeader { NrEntries = 0 }), Is.EqualTo(0));
        Assert.That(Call(m, v, F.ResourceOp, new XenPfResourceOpHeader { NrEntries = 4 }), Is.EqualTo(-Errno.EINVAL));
        m.PokeStruct(d, UnionGpa + 8, TestMachine.GuestAddr(d, entries));
        var op = new XenPlatformOp { Cmd = F.ResourceOp, InterfaceVersion = F.InterfaceVersion };
        *(uint*)op.U = 2;
        *(ulong*)(op.U + 8) = TestMachine.GuestAddr(d, entries);
        m.PokeStruct(d, OpGpa, op);
        m.PokeStruct(d, entries, 0u); // entry 0: MSR read
        Assert.That(m.Call(v, HypercallNumber.PlatformOp, TestMachine.GuestAddr(d, OpGpa)), Is.EqualTo(0));
        Assert.That(m.PeekStruct<int>(d, entries), Is.EqualTo(-Errno.EPERM));
        m.PokeStruct(d, entries, 5u);
        Assert.That(m.Call(v, HypercallNumber.PlatformOp, TestMachine.GuestAddr(d, OpGpa)), Is.EqualTo(0));
        Assert.That(m.PeekStruct<int>(d, entries), Is.EqualTo(-Errno.EINVAL));
        *(ulong*)(op.U + 8) = 0x7FFF_F000;
        m.PokeStruct(d, OpGpa, op);
        Assert.That(m.Call(v, HypercallNumber.PlatformOp, TestMachine.GuestAddr(d, OpGpa)), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void GetSymbolHasAnEmptyTable(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, 0);
        ulong name = TestMachine.GuestAddr(d, 0x6000);
        m.Poke(d, 0x6000, new byte[] { 0x55 });
        long rc = GuestModes.Is32Bit(mode)
            ? Call(m, d.Vcpus[0], F.GetSymbol, new XenPfSymdataCompat { Namelen = 8, Name = (uint)name })
            : Call(m, d.Vcpus[0], F.GetSymbol, new XenPfSymdata { Namelen = 8, Name = name });
        Assert.That(rc, Is.EqualTo(0));
        Assert.That(m.Peek(d, 0x6000, 1)[0], Is.EqualTo(0));
        Assert.That(Result<uint>(m, d), Is.EqualTo(1), "namelen");
        Assert.That(Call(m, d.Vcpus[0], F.GetSymbol, new XenPfSymdata { Symnum = 1, Name = name }), Is.EqualTo(-Errno.ERANGE));
    }
}

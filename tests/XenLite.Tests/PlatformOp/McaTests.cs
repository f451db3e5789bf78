using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.PlatformOp;

/// <summary>mca: no telemetry, no MCE banks, one CPU.</summary>
[Category("mca")]
public unsafe class McaTests
{
    const ulong OpGpa = 0x4000, BufGpa = 0x5000;

    static long Mc(TestMachine m, Vcpu v, int cmd, uint w0 = 0, ulong handle = 0, uint version = XenMc.InterfaceVersion)
    {
        var op = new XenMcOp { Cmd = (uint)cmd, InterfaceVersion = version };
        *(uint*)op.U = w0;
        // The handle: fetch.data at 16, physcpuinfo.info at 8 (4 bytes wide for 32-bit callers).
        int at = cmd == XenMc.Fetch ? 16 : 8;
        if (GuestModes.Is32Bit(v.Mode)) *(uint*)(op.U + at) = (uint)handle;
        else *(ulong*)(op.U + at) = handle;
        m.PokeStruct(v.Domain, OpGpa, op);
        return m.Call(v, HypercallNumber.Mca, TestMachine.GuestAddr(v.Domain, OpGpa));
    }

    [Test]
    public void PrivilegeThenCopyThenVersion()
    {
        using var m = new TestMachine();
        var dom0 = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        var guest = m.NewDomain(GuestMode.Pv64, 1).Vcpus[0];
        Assert.That(m.Call(guest, HypercallNumber.Mca, 0x7FFF_F000), Is.EqualTo(-Errno.EPERM));
        Assert.That(m.Call(dom0, HypercallNumber.Mca, 0x7FFF_F000), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Mc(m, dom0, XenMc.Fetch, XenMc.Urgent, 1, version: 0x01ecc002), Is.EqualTo(-Errno.EACCES));
    }

    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void FetchFindsNoTelemetry(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, 0);
        var v = d.Vcpus[0];
        ulong buf = TestMachine.GuestAddr(d, BufGpa);
        Assert.That(Mc(m, v, XenMc.Fetch, XenMc.Urgent | XenMc.NonUrgent, buf), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Mc(m, v, XenMc.Fetch, 0, buf), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Mc(m, v, XenMc.Fetch, XenMc.Urgent, 0), Is.EqualTo(-Errno.EINVAL), "null buffer");
        Assert.That(Mc(m, v, XenMc.Fetch, XenMc.NonUrgent, buf), Is.EqualTo(0));
        var back = m.PeekStruct<XenMcOp>(d, OpGpa);
        Assert.That(*(uint*)back.U, Is.EqualTo(XenMc.NoData));
        Assert.That(*(ulong*)(back.U + 8), Is.EqualTo(0), "fetch_id");
        Assert.That(Mc(m, v, XenMc.Fetch, XenMc.Urgent | XenMc.Ack, 0), Is.EqualTo(0), "ack needs no buffer");
    }

    [TestCase(GuestMode.Pv64, 304)]
    [TestCase(GuestMode.Pv32, 300)]
    public void PhysCpuInfoDescribesOneCpu(GuestMode mode, int entrySize)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, 0);
        var v = d.Vcpus[0];
        Assert.That(Mc(m, v, XenMc.PhysCpuInfo, 8, 0), Is.EqualTo(0), "count only");
        Assert.That(m.PeekStruct<uint>(d, OpGpa + 8), Is.EqualTo(1), "ncpus");
        ulong buf = TestMachine.GuestAddr(d, BufGpa);
        Assert.That(Mc(m, v, XenMc.PhysCpuInfo, 0, buf), Is.EqualTo(-Errno.EINVAL));
        m.Poke(d, BufGpa + (ulong)entrySize, new byte[] { 0xAA });
        Assert.That(Mc(m, v, XenMc.PhysCpuInfo, 4, buf), Is.EqualTo(0));
        Assert.That(m.PeekStruct<uint>(d, BufGpa + 20), Is.EqualTo(1), "mc_ncores");
        Assert.That(m.PeekStruct<uint>(d, BufGpa + 36), Is.EqualTo(Hv.Common.PlatformOp.PhysicalCpu.Family), "mc_family");
        Assert.That(System.Text.Encoding.ASCII.GetString(m.Peek(d, BufGpa + 52, 12)), Is.EqualTo("AuthenticAMD"));
        Assert.That(m.Peek(d, BufGpa + (ulong)entrySize, 1)[0], Is.EqualTo(0xAA), "one entry only");
        Assert.That(Mc(m, v, XenMc.PhysCpuInfo, 4, 0x7FFF_F000), Is.EqualTo(-Errno.EFAULT));
    }

    [TestCase(XenMc.MsrInject, -Errno.ENODEV)]
    [TestCase(XenMc.MceInject, -Errno.ENODEV)]
    [TestCase(XenMc.InjectV2, -Errno.ENODEV)]
    [TestCase(XenMc.NotifyDomain, -Errno.EINVAL)]
    [TestCase(0, -Errno.EINVAL)]
    [TestCase(7, -Errno.EINVAL)]
    public void InjectionHasNoBanksAndOtherCommandsAreEinval(int cmd, int rc)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(GuestMode.Pv64, 0).Vcpus[0];
        Assert.That(Mc(m, v, cmd), Is.EqualTo(rc));
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Arm)]
    public void OnlyPvGuestsHaveMca(GuestMode mode)
    {
        using var m = new TestMachine();
        var v = m.NewDomain(mode, 0).Vcpus[0];
        Assert.That(m.Call(v, HypercallNumber.Mca, OpGpa), Is.EqualTo(-Errno.ENOSYS));
    }
}

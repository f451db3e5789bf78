using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Dispatch;

[Category("multicall")]
public unsafe class MulticallTests
{
    const ulong ListGpa = 0x2000;

    static void PutEntry(TestMachine m, Domain d, int index, ulong op, params ulong[] args)
    {
        var e = new MulticallEntry { Op = op, Result = 0xdeadbeef };
        for (int i = 0; i < args.Length; i++) e.Args[i] = args[i];
        m.PokeStruct(d, ListGpa + (ulong)(index * sizeof(MulticallEntry)), e);
    }

    static MulticallEntry GetEntry(TestMachine m, Domain d, int index) =>
        m.PeekStruct<MulticallEntry>(d, ListGpa + (ulong)(index * sizeof(MulticallEntry)));

    [Test]
    public void UnknownOpsGetEnosysAndLaterEntriesStillRun()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        PutEntry(m, d, 0, 63);
        PutEntry(m, d, 1, 1000);
        long rc = m.Call(d.Vcpus[0], HypercallNumber.Multicall, ListGpa, 2);
        Assert.That(rc, Is.EqualTo(0));
        Assert.That((long)GetEntry(m, d, 0).Result, Is.EqualTo(-Errno.ENOSYS));
        Assert.That((long)GetEntry(m, d, 1).Result, Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void NestedMulticallIsRefusedWithEinval()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        PutEntry(m, d, 0, HypercallNumber.Multicall, ListGpa, 1);
        long rc = m.Call(d.Vcpus[0], HypercallNumber.Multicall, ListGpa, 1);
        Assert.That(rc, Is.EqualTo(0));
        Assert.That((long)GetEntry(m, d, 0).Result, Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void BadListPointerIsEfault()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.Multicall, 0x10_0000_0000, 1), Is.EqualTo(-Errno.EFAULT));
    }
}

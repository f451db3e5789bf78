using System;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Dispatch;

[Category("continuation")]
public unsafe class ContinuationTests
{
    const ulong ArrayGpa = 0x4000;
    const ulong ListGpa = 0x1000;

    static uint[] Counters(TestMachine m, Domain d, int n)
    {
        var bytes = m.Peek(d, ArrayGpa, n * 4);
        var r = new uint[n];
        Buffer.BlockCopy(bytes, 0, r, 0, bytes.Length);
        return r;
    }

    [TestCase(GuestMode.Hvm64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Pv32)]
    public void LongOperationStopsAndResumesUntilEveryExtentIsDoneOnce(GuestMode mode)
    {
        using var m = new TestMachine(LongOpStandIn.Register);
        var d = m.NewDomain(mode);
        var v = d.Vcpus[0];
        m.Platform.PreemptAfterChecks = 0; // every check asks to stop
        ulong array = TestMachine.GuestAddr(d, ArrayGpa);

        long rc = m.Call(v, HypercallNumber.MemoryOp, LongOpStandIn.Op, array, 100);
        Assert.That(m.LastCallRestarted, Is.True, "first call should have been preempted");
        Assert.That(rc, Is.EqualTo(HypercallNumber.MemoryOp), "the result register holds the op while continuing");
        ulong cmdReg = v.Regs[HypercallRegisters.ArgRegister(mode, 0)];
        Assert.That(cmdReg >> LongOpStandIn.ExtentShift, Is.EqualTo(1), "the guest's cmd register encodes the next extent");

        int restarts = 1;
        while (m.LastCallRestarted) { rc = m.Resume(v); restarts++; }

        Assert.That(rc, Is.EqualTo(100));
        Assert.That(restarts, Is.EqualTo(100), "one extent per entry when every check preempts");
        Assert.That(Counters(m, d, 100), Is.All.EqualTo(1u));
        Assert.That(Counters(m, d, 101)[100], Is.EqualTo(0u));
    }

    [Test]
    public void WithoutPendingWorkTheOperationRunsInOneGo()
    {
        using var m = new TestMachine(LongOpStandIn.Register);
        var d = m.NewDomain(GuestMode.Hvm64);
        long rc = m.Call(d.Vcpus[0], HypercallNumber.MemoryOp, LongOpStandIn.Op, ArrayGpa, 50);
        Assert.That(m.LastCallRestarted, Is.False);
        Assert.That(rc, Is.EqualTo(50));
        Assert.That(Counters(m, d, 50), Is.All.EqualTo(1u));
    }

    [Test]
    public void ThirtyTwoBitCallersGetTruncatedContinuationRegisters()
    {
        using var m = new TestMachine(LongOpStandIn.Register);
        var d = m.NewDomain(GuestMode.Hvm32);
        var v = d.Vcpus[0];
        m.Platform.PreemptAfterChecks = 0;
        v.Regs[X86Reg.Rbx] = 0xFFFF_FFFF_0000_0000; // garbage in the upper half must not leak in
        m.Call(v, HypercallNumber.MemoryOp, LongOpStandIn.Op | 0xFFFF_FFFF_0000_0000, ArrayGpa, 3);
        Assert.That(m.LastCallRestarted, Is.True);
        Assert.That(v.Regs[X86Reg.Rbx], Is.EqualTo((1UL << LongOpStandIn.ExtentShift) | LongOpStandIn.Op));
        Assert.That(v.Regs[X86Reg.Rax], Is.EqualTo((ulong)HypercallNumber.MemoryOp));
    }

    [Test]
    public void PreemptedEntryInsideMulticallIsRewrittenAndTheMulticallContinues()
    {
        using var m = new TestMachine(LongOpStandIn.Register);
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        int size = sizeof(MulticallEntry);
        var e0 = new MulticallEntry { Op = HypercallNumber.MemoryOp };
        e0.Args[0] = LongOpStandIn.Op; e0.Args[1] = ArrayGpa; e0.Args[2] = 10;
        var e1 = new MulticallEntry { Op = 63 };
        m.PokeStruct(d, ListGpa, e0);
        m.PokeStruct(d, ListGpa + (ulong)size, e1);

        m.Platform.PreemptAfterChecks = 4; // the long entry stops part-way
        m.Call(v, HypercallNumber.Multicall, ListGpa, 2);
        Assert.That(m.LastCallRestarted, Is.True);
        var saved = m.PeekStruct<MulticallEntry>(d, ListGpa);
        Assert.That(saved.Args[0] >> LongOpStandIn.ExtentShift, Is.GreaterThan(0), "entry 0's cmd records its progress");
        Assert.That(v.Regs[X86Reg.Rdi], Is.EqualTo(ListGpa), "the multicall continues from entry 0");
        Assert.That(v.Regs[X86Reg.Rsi], Is.EqualTo(2));

        m.Platform.PreemptAfterChecks = int.MaxValue;
        long rc = m.Resume(v);
        Assert.That(m.LastCallRestarted, Is.False);
        Assert.That(rc, Is.EqualTo(0));
        Assert.That((long)m.PeekStruct<MulticallEntry>(d, ListGpa).Result, Is.EqualTo(10));
        Assert.That((long)m.PeekStruct<MulticallEntry>(d, ListGpa + (ulong)size).Result, Is.EqualTo(-Errno.ENOSYS));
        Assert.That(Counters(m, d, 10), Is.All.EqualTo(1u));
    }

    [Test]
    public void LongMulticallIsPreemptedBetweenEntriesAndEveryEntryRunsOnce()
    {
        using var m = new TestMachine(LongOpStandIn.Register);
        var d = m.NewDomain(GuestMode.Pv64);
        var v = d.Vcpus[0];
        const int n = 200;
        const ulong bigList = 0x10000; // 200 entries span 12.5 KiB: keep clear of the counters
        int size = sizeof(MulticallEntry);
        for (int i = 0; i < n; i++)
        {
            // Each entry increments counter i (a one-extent run of the stand-in).
            var e = new MulticallEntry { Op = HypercallNumber.MemoryOp };
            e.Args[0] = LongOpStandIn.Op;
            e.Args[1] = TestMachine.GuestAddr(d, ArrayGpa + (ulong)(i * 4));
            e.Args[2] = 1;
            m.PokeStruct(d, bigList + (ulong)(i * size), e);
        }
        m.Platform.PreemptAfterChecks = 0;
        long rc = m.Call(v, HypercallNumber.Multicall, TestMachine.GuestAddr(d, bigList), n);
        int restarts = 0;
        while (m.LastCallRestarted) { rc = m.Resume(v); restarts++; }
        Assert.That(rc, Is.EqualTo(0));
        Assert.That(restarts, Is.EqualTo(n - 1), "preempted before every entry but the first of each run");
        Assert.That(Counters(m, d, n), Is.All.EqualTo(1u));
        for (int i = 0; i < n; i++)
            Assert.That((long)m.PeekStruct<MulticallEntry>(d, bigList + (ulong)(i * size)).Result, Is.EqualTo(1));
    }

    [Test]
    public void CompatMulticallUsesThirtyTwoByteEntries()
    {
        using var m = new TestMachine(LongOpStandIn.Register);
        var d = m.NewDomain(GuestMode.Pv32);
        int size = sizeof(MulticallEntryCompat);
        Assert.That(size, Is.EqualTo(32));
        for (int i = 0; i < 3; i++)
        {
            var e = new MulticallEntryCompat { Op = HypercallNumber.MemoryOp, Result = 0xAAAA };
            e.Args[0] = (uint)LongOpStandIn.Op;
            e.Args[1] = (uint)TestMachine.GuestAddr(d, ArrayGpa + (ulong)(i * 4));
            e.Args[2] = 1;
            m.PokeStruct(d, ListGpa + (ulong)(i * size), e);
        }
        long rc = m.Call(d.Vcpus[0], HypercallNumber.Multicall, TestMachine.GuestAddr(d, ListGpa), 3);
        Assert.That(rc, Is.EqualTo(0));
        for (int i = 0; i < 3; i++)
            Assert.That(m.PeekStruct<MulticallEntryCompat>(d, ListGpa + (ulong)(i * size)).Result, Is.EqualTo(1u));
        Assert.That(Counters(m, d, 3), Is.All.EqualTo(1u));
    }
}

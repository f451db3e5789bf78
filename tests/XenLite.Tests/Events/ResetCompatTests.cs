using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;
using static XenLite.Tests.Events.EvtchnRig;

namespace XenLite.Tests.Events;

[Category("event_channel_op")]
public unsafe class ResetCompatTests
{
    const ushort Self = (ushort)DomainIds.Self;

    static long Reset(TestMachine m, Vcpu v, ushort dom)
    {
        var r = new EvtchnReset { Dom = dom };
        return m.Op(v, EvtchnOpCmd.Reset, ref r);
    }

    [Test]
    public void FifoResetDoesNotAllocateAndTheNextInitStartsClean()
    {
        using var m = Machine();
        m.Platform.DiscardConsole = true;
        var d = m.NewDomain(GuestMode.Hvm64, privileged: false);
        Vcpu v = d.Vcpus[0];
        // The three arguments stay in guest memory; calls go straight to the dispatcher (the
        // harness's own calls allocate), so only the hypervisor's allocations are counted.
        const ulong InitGpa = 0x3000, ExpandGpa = 0x3100, ResetGpa = 0x3200;
        m.PokeStruct(d, InitGpa, new EvtchnInitControl { ControlGfn = ControlGfn });
        m.PokeStruct(d, ExpandGpa, new EvtchnExpandArray { ArrayGfn = ArrayGfn });
        m.PokeStruct(d, ResetGpa, new EvtchnReset { Dom = Self });
        long Cycle() => Enter(m, v, EvtchnOpCmd.InitControl, InitGpa) | Enter(m, v, EvtchnOpCmd.ExpandArray, ExpandGpa)
            | Enter(m, v, EvtchnOpCmd.Reset, ResetGpa);
        Assert.That(Cycle(), Is.Zero, "warm-up: the first init allocates the FIFO state");
        long before = System.GC.GetAllocatedBytesForCurrentThread();
        long rcs = 0;
        for (int i = 0; i < 100; i++) rcs |= Cycle();
        long allocated = System.GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(rcs, Is.Zero);
        Assert.That(allocated, Is.Zero, "reset + init_control + expand_array, 100 times");
        Assert.That(Enter(m, v, EvtchnOpCmd.InitControl, InitGpa), Is.Zero);
        Assert.That(d.Events.Fifo.NumEvtchns, Is.Zero, "no event-array page carried over from before the reset");
    }

    static long Enter(TestMachine m, Vcpu v, int cmd, ulong gpa)
    {
        v.Regs[HypercallRegisters.NumberRegister(v.Mode)] = HypercallNumber.EventChannelOp;
        v.Regs[HypercallRegisters.ArgRegister(v.Mode, 0)] = (ulong)cmd;
        v.Regs[HypercallRegisters.ArgRegister(v.Mode, 1)] = gpa;
        for (int guard = 0; !m.Hv.Dispatcher.Enter(v) && guard < 1000; guard++) { }
        return (long)v.Regs[HypercallRegisters.ResultRegister(v.Mode)];
    }

    [Test]
    public void ResetClosesEveryPortAndUnbindsPeers()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Hvm64);
        var b = m.NewDomain(GuestMode.Hvm64, id: 1);
        var (pa, pb) = m.Connect(a, b);
        Assert.That(m.BindVirq(b.Vcpus[0], Virq.Timer, 0, out _), Is.Zero);
        Assert.That(m.BindIpi(b.Vcpus[0], 0, out _), Is.Zero);
        Assert.That(Reset(m, b.Vcpus[0], Self), Is.Zero);
        Assert.That(b.Events.ActivePorts, Is.Zero);
        Assert.That(b.Vcpus[0].Events.VirqToPort[Virq.Timer], Is.Zero);
        Assert.That(a.Events[pa].State, Is.EqualTo(ChannelState.Unbound));
        Assert.That(m.AllocUnbound(b.Vcpus[0], Self, 0, out uint again), Is.Zero);
        Assert.That(again, Is.EqualTo(1u), "ports are reused from the bottom");
    }

    [Test]
    public void ResetRefusals()
    {
        using var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var d1 = m.NewDomain(GuestMode.Hvm64, id: 1);
        Assert.That(Reset(m, d1.Vcpus[0], 0), Is.EqualTo(-Errno.EPERM), "a domU may not reset dom0");
        Assert.That(Reset(m, d0.Vcpus[0], 1), Is.EqualTo(-Errno.EINVAL), "the target is not paused by its controller");
        Assert.That(Reset(m, d0.Vcpus[0], 9), Is.EqualTo(-Errno.ESRCH));
        var cont = new EvtchnReset { Dom = Self };
        Assert.That(m.Op(d1.Vcpus[0], EvtchnOpCmd.ResetCont, ref cont), Is.EqualTo(-Errno.EBUSY), "nothing to continue");
    }

    [Test]
    public void ResetIsPreemptibleAndContinuesWithResetCont()
    {
        using var m = Machine();
        var d = m.NewDomain(GuestMode.Pv64);
        for (int i = 0; i < 200; i++) Assert.That(m.AllocUnbound(d.Vcpus[0], Self, 0, out _), Is.Zero);
        m.Platform.PreemptAfterChecks = 0;
        m.PokeStruct(d, ArgGpa, new EvtchnReset { Dom = Self });
        ulong arg = TestMachine.GuestAddr(d, ArgGpa);
        long rc = m.Call(d.Vcpus[0], HypercallNumber.EventChannelOp, EvtchnOpCmd.Reset, arg);
        Assert.That(m.LastCallRestarted, Is.True);
        Assert.That(rc, Is.EqualTo(HypercallNumber.EventChannelOp));
        Assert.That(d.Events.ActivePorts, Is.EqualTo(200 - 64), "ports 1-64 closed, then the check at port 64 stopped it");
        m.Platform.PreemptAfterChecks = int.MaxValue;
        Assert.That(m.Resume(d.Vcpus[0]), Is.Zero);
        Assert.That(d.Events.ActivePorts, Is.Zero);
    }

    [Test]
    public void CompatHypercallRunsTheOldSubOpsOnTheUnion([Values(GuestMode.Pv32, GuestMode.Pv64)] GuestMode mode)
    {
        using var m = Machine();
        var d = m.NewDomain(mode);
        var op = new EvtchnOp { Cmd = EvtchnOpCmd.AllocUnbound };
        *(EvtchnAllocUnbound*)op.U = new EvtchnAllocUnbound { Dom = Self, RemoteDom = 0 };
        m.PokeStruct(d, ArgGpa, op);
        Assert.That(m.Call(d.Vcpus[0], HypercallNumber.EventChannelOpCompat, TestMachine.GuestAddr(d, ArgGpa)), Is.Zero);
        var back = m.PeekStruct<EvtchnOp>(d, ArgGpa);
        Assert.That(((EvtchnAllocUnbound*)back.U)->Port, Is.EqualTo(1u));
        Assert.That(d.Events[1].State, Is.EqualTo(ChannelState.Unbound));
    }

    [Test]
    public void CompatHypercallRefusals()
    {
        using var m = Machine();
        var pv = m.NewDomain(GuestMode.Pv64);
        var arm = m.NewDomain(GuestMode.Arm, id: 1);
        m.PokeStruct(pv, ArgGpa, new EvtchnOp { Cmd = EvtchnOpCmd.InitControl });
        Assert.That(m.Call(pv.Vcpus[0], HypercallNumber.EventChannelOpCompat, TestMachine.GuestAddr(pv, ArgGpa)), Is.EqualTo(-Errno.ENOSYS), "FIFO came after the compat call");
        Assert.That(m.Call(pv.Vcpus[0], HypercallNumber.EventChannelOpCompat, 0x10), Is.EqualTo(-Errno.EFAULT));
        m.PokeStruct(arm, ArgGpa, new EvtchnOp { Cmd = EvtchnOpCmd.Send });
        Assert.That(m.Call(arm.Vcpus[0], HypercallNumber.EventChannelOpCompat, ArgGpa), Is.EqualTo(-Errno.ENOSYS), "deprecated on arm");
        var hvm = m.NewDomain(GuestMode.Hvm64, id: 2);
        Assert.That(m.Call(hvm.Vcpus[0], HypercallNumber.EventChannelOpCompat, ArgGpa), Is.EqualTo(-Errno.ENOSYS), "not routed for HVM");
    }

    [Test]
    public void CompatSharedInfoUses32BitSelectorWords()
    {
        using var m = Machine();
        var a = m.NewDomain(GuestMode.Pv64);
        var b = m.NewDomain(GuestMode.Pv32, id: 1);
        for (int i = 0; i < 40; i++) Assert.That(m.AllocUnbound(b.Vcpus[0], Self, 0, out _), Is.Zero);
        Assert.That(m.AllocUnbound(b.Vcpus[0], Self, 0, out uint pb), Is.Zero);
        Assert.That(m.BindInterdomain(a.Vcpus[0], 1, pb, out uint pa), Is.Zero);
        Assert.That(m.Send(a.Vcpus[0], pa), Is.Zero);
        var si = m.Hv.Memory.Map(b.SharedInfo.Frame);
        Assert.That(((uint*)(si + 2048))[pb / 32] & (1u << (int)(pb % 32)), Is.Not.Zero, "evtchn_pending at 2048");
        var info = (VcpuInfoX86_32*)si;
        Assert.That(info->EvtchnPendingSel, Is.EqualTo(1u << (int)(pb / 32)), "selector word pb/32 of a 32-bit word");
        Assert.That(info->EvtchnUpcallPending, Is.EqualTo(1));
        Mask(b, pb + 1);
        Assert.That(((uint*)(si + 2176))[(pb + 1) / 32] & (1u << (int)((pb + 1) % 32)), Is.Not.Zero, "evtchn_mask at 2176 in the compat layout");
    }
}

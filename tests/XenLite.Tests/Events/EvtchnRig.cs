using System;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Hv.Xsm;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Events;

/// <summary>Helpers for event-channel tests: argument placement, the sub-ops, and reads of shared_info / vcpu_info.</summary>
public static unsafe class EvtchnRig
{
    /// <summary>Where tests put a sub-op's argument struct (guest-physical).</summary>
    public const ulong ArgGpa = 0x2000;
    /// <summary>Guest frames tests hand over as FIFO control blocks and event-array pages.</summary>
    public const ulong ControlGfn = 0x10, ArrayGfn = 0x11, ArrayGfn2 = 0x12;

    public static TestMachine Machine(XsmModule xsm = null) => new(xsm: xsm);

    /// <summary>event_channel_op(cmd, &amp;arg); the struct as the hypervisor left it comes back in <paramref name="arg"/>.</summary>
    public static long Op<T>(this TestMachine m, Vcpu v, int cmd, ref T arg) where T : unmanaged
    {
        m.PokeStruct(v.Domain, ArgGpa, arg);
        long rc = m.CallToCompletion(v, HypercallNumber.EventChannelOp, (ulong)cmd, TestMachine.GuestAddr(v.Domain, ArgGpa));
        arg = m.PeekStruct<T>(v.Domain, ArgGpa);
        return rc;
    }

    public static long AllocUnbound(this TestMachine m, Vcpu v, ushort dom, ushort remote, out uint port)
    {
        var a = new EvtchnAllocUnbound { Dom = dom, RemoteDom = remote };
        long rc = m.Op(v, EvtchnOpCmd.AllocUnbound, ref a);
        port = a.Port;
        return rc;
    }

    public static long BindInterdomain(this TestMachine m, Vcpu v, ushort remoteDom, uint remotePort, out uint local)
    {
        var a = new EvtchnBindInterdomain { RemoteDom = remoteDom, RemotePort = remotePort };
        long rc = m.Op(v, EvtchnOpCmd.BindInterdomain, ref a);
        local = a.LocalPort;
        return rc;
    }

    /// <summary>Offers a port in <paramref name="b"/> to <paramref name="a"/> and binds it; returns (a's port, b's port).</summary>
    public static (uint A, uint B) Connect(this TestMachine m, Domain a, Domain b)
    {
        Expect(m.AllocUnbound(b.Vcpus[0], (ushort)DomainIds.Self, a.Id, out uint pb));
        Expect(m.BindInterdomain(a.Vcpus[0], b.Id, pb, out uint pa));
        return (pa, pb);
    }

    public static long BindVirq(this TestMachine m, Vcpu v, uint virq, uint vcpu, out uint port)
    {
        var a = new EvtchnBindVirq { Virq = virq, Vcpu = vcpu };
        long rc = m.Op(v, EvtchnOpCmd.BindVirq, ref a);
        port = a.Port;
        return rc;
    }

    public static long BindIpi(this TestMachine m, Vcpu v, uint vcpu, out uint port)
    {
        var a = new EvtchnBindIpi { Vcpu = vcpu };
        long rc = m.Op(v, EvtchnOpCmd.BindIpi, ref a);
        port = a.Port;
        return rc;
    }

    public static long PortOp(this TestMachine m, Vcpu v, int cmd, uint port)
    {
        var a = new EvtchnPortArg { Port = port };
        return m.Op(v, cmd, ref a);
    }

    public static long Send(this TestMachine m, Vcpu v, uint port) => m.PortOp(v, EvtchnOpCmd.Send, port);
    public static long Close(this TestMachine m, Vcpu v, uint port) => m.PortOp(v, EvtchnOpCmd.Close, port);
    public static long Unmask(this TestMachine m, Vcpu v, uint port) => m.PortOp(v, EvtchnOpCmd.Unmask, port);

    public static long Status(this TestMachine m, Vcpu v, ushort dom, uint port, out EvtchnStatus s)
    {
        s = new EvtchnStatus { Dom = dom, Port = port };
        return m.Op(v, EvtchnOpCmd.Status, ref s);
    }

    public static long BindVcpu(this TestMachine m, Vcpu v, uint port, uint vcpu)
    {
        var a = new EvtchnBindVcpu { Port = port, Vcpu = vcpu };
        return m.Op(v, EvtchnOpCmd.BindVcpu, ref a);
    }

    public static long SetPriority(this TestMachine m, Vcpu v, uint port, uint priority)
    {
        var a = new EvtchnSetPriority { Port = port, Priority = priority };
        return m.Op(v, EvtchnOpCmd.SetPriority, ref a);
    }

    public static long InitControl(this TestMachine m, Vcpu v, ulong gfn, uint offset, uint vcpu, out byte linkBits)
    {
        var a = new EvtchnInitControl { ControlGfn = gfn, Offset = offset, Vcpu = vcpu };
        long rc = m.Op(v, EvtchnOpCmd.InitControl, ref a);
        linkBits = a.LinkBits;
        return rc;
    }

    public static long ExpandArray(this TestMachine m, Vcpu v, ulong gfn)
    {
        var a = new EvtchnExpandArray { ArrayGfn = gfn };
        return m.Op(v, EvtchnOpCmd.ExpandArray, ref a);
    }

    /// <summary>Switches <paramref name="d"/> to FIFO with vCPU 0's control block at <see cref="ControlGfn"/> and one array page.</summary>
    public static void MakeFifo(this TestMachine m, Domain d)
    {
        Expect(m.InitControl(d.Vcpus[0], ControlGfn, 0, 0, out _));
        Expect(m.ExpandArray(d.Vcpus[0], ArrayGfn));
    }

    public static void Expect(long rc)
    {
        if (rc != 0) throw new InvalidOperationException($"hypercall failed: {rc}");
    }

    // 2-level state as the guest sees it.
    public static bool Pending(Domain d, uint port) => GuestBits.Test(d.SharedInfo.PendingBits, port);
    public static bool Masked(Domain d, uint port) => GuestBits.Test(d.SharedInfo.MaskBits, port);
    public static void Mask(Domain d, uint port) => GuestBits.Set(d.SharedInfo.MaskBits, port);
    public static bool UpcallPending(Vcpu v) => v.Events.Info[0] != 0;
    public static bool SelectorBit(Vcpu v, int word) =>
        GuestBits.Test(v.Events.Info + v.Domain.SharedInfo.Layout.PendingSel, (uint)word);

    // FIFO state as the guest sees it.
    public static uint Word(TestMachine m, Domain d, uint port) =>
        m.PeekStruct<uint>(d, ArrayGfn * 4096 + port * 4);
    public static EvtchnFifoControlBlock Control(TestMachine m, Domain d) => m.PeekStruct<EvtchnFifoControlBlock>(d, ControlGfn * 4096);
    public static bool Bit(uint word, int bit) => (word & (1u << bit)) != 0;
}

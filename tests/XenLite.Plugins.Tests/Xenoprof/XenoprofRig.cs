using System;
using System.Collections.Generic;
using System.Text;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using XenLite.Plugin.Xenoprof;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Xenoprof;

/// <summary>A hosted machine with the xenoprof plugin, a fake PMU, a PV hardware domain and a PV domU.</summary>
public sealed unsafe class XenoprofRig : IDisposable
{
    public const ulong ArgGpa = 0x1000;

    public readonly TestMachine M;
    public readonly Domain Dom0, DomU;
    public readonly FakePmu Pmu = new();

    public XenoprofRig(GuestMode mode = GuestMode.Pv64, bool pmu = true, int dom0Vcpus = 1)
    {
        M = new TestMachine(XenoprofPlugin.Register, features: Feature.Xenoprof);
        XenoprofPlugin.Init(M.Hv);
        if (pmu) XenoprofPlugin.UsePmu(M.Hv, Pmu);
        Dom0 = M.NewDomain(mode, 0, vcpus: dom0Vcpus);
        DomU = M.NewDomain(mode, 1, vcpus: 2);
    }

    public XenoprofState State => XenoprofState.Of(M.Hv);

    public long Op(Domain d, int op, ulong gpa = ArgGpa) => M.Call(d.Vcpus[0], HypercallNumber.XenoprofOp, (ulong)op, TestMachine.GuestAddr(d, gpa));

    public long Op(int op) => Op(Dom0, op);

    public long OpRaw(Domain d, ulong op, ulong arg) => M.Call(d.Vcpus[0], HypercallNumber.XenoprofOp, op, arg);

    public long Init(Domain d, out XenoprofInitArg init)
    {
        M.PokeStruct(d, ArgGpa, default(XenoprofInitArg));
        long rc = Op(d, XenoprofCmd.Init);
        init = M.PeekStruct<XenoprofInitArg>(d, ArgGpa);
        return rc;
    }

    public long Init(Domain d) => Init(d, out _);

    public long GetBuffer(Domain d, int maxSamples, out XenoprofGetBufferArg r)
    {
        M.PokeStruct(d, ArgGpa, new XenoprofGetBufferArg { MaxSamples = maxSamples });
        long rc = Op(d, XenoprofCmd.GetBuffer);
        r = M.PeekStruct<XenoprofGetBufferArg>(d, ArgGpa);
        return rc;
    }

    public long SetActive(ushort domid)
    {
        M.PokeStruct(Dom0, ArgGpa, domid);
        return Op(XenoprofCmd.SetActive);
    }

    public long SetPassive(ushort domid, int maxSamples, out XenoprofPassiveArg r)
    {
        M.PokeStruct(Dom0, ArgGpa, new XenoprofPassiveArg { DomainId = domid, MaxSamples = maxSamples });
        long rc = Op(XenoprofCmd.SetPassive);
        r = M.PeekStruct<XenoprofPassiveArg>(Dom0, ArgGpa);
        return rc;
    }

    public long Counter(uint ind, ulong count = 100_000, uint evt = 0x76)
    {
        M.PokeStruct(Dom0, ArgGpa, new XenoprofCounterArg { Ind = ind, Count = count, Enabled = 1, Event = evt, Kernel = 1, User = 1, UnitMask = 0x3 });
        return Op(XenoprofCmd.Counter);
    }

    /// <summary>init → get_buffer → set_active(0) → reserve → counter 0 → setup_events: the phase before enable_virq.</summary>
    public void ToReady(int maxSamples = 8)
    {
        Check(Init(Dom0), "init");
        Check(GetBuffer(Dom0, maxSamples, out _), "get_buffer");
        Check(SetActive(0), "set_active");
        Check(Op(XenoprofCmd.ReserveCounters), "reserve_counters");
        Check(Counter(0), "counter");
        Check(Op(XenoprofCmd.SetupEvents), "setup_events");
    }

    /// <summary>… → enable_virq → start.</summary>
    public void ToProfiling(int maxSamples = 8)
    {
        ToReady(maxSamples);
        Check(Op(XenoprofCmd.EnableVirq), "enable_virq");
        Check(Op(XenoprofCmd.Start), "start");
    }

    static void Check(long rc, string what)
    {
        if (rc != 0) throw new InvalidOperationException($"{what} failed: {rc}");
    }

    /// <summary>Reads the hypervisor's view of vCPU <paramref name="vcpu"/>'s ring header field.</summary>
    public int BufInt(XenoprofBuffers b, int vcpu, int offset) => *(int*)(b.Buffer(vcpu) + offset);
    public ulong BufLong(XenoprofBuffers b, int vcpu, int offset) => *(ulong*)(b.Buffer(vcpu) + offset);

    public static string CString(XenoprofInitArg init)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < XenoprofLimits.CpuTypeSize && init.CpuType[i] != 0; i++) sb.Append((char)init.CpuType[i]);
        return sb.ToString();
    }

    /// <summary>Binds VIRQ_XENOPROF on a vCPU through event_channel_op, as a profiling guest does; the port.</summary>
    public uint BindXenoprofVirq(Domain d, int vcpu)
    {
        const ulong at = 0x3000;
        M.PokeStruct(d, at, new EvtchnBindVirq { Virq = (uint)Virq.Xenoprof, Vcpu = (uint)vcpu });
        long rc = M.Call(d.Vcpus[0], HypercallNumber.EventChannelOp, (ulong)EvtchnOpCmd.BindVirq, TestMachine.GuestAddr(d, at));
        if (rc != 0) throw new InvalidOperationException($"bind_virq failed: {rc}");
        return M.PeekStruct<EvtchnBindVirq>(d, at).Port;
    }

    public void Dispose() => M.Dispose();
}

/// <summary>A PMU that records what xenoprof asks of it.</summary>
public sealed class FakePmu : Pmu
{
    public string Type = "x86-64/hammer";
    public int Counters = 4;
    public uint Ibs = 0x1F;
    public int ReserveResult, SetupResult, StartResult;
    public readonly List<string> Calls = new();
    public CounterConfig[] Programmed;
    public IbsConfig ProgrammedIbs;

    public override string CpuType => Type;
    public override int NumCounters => Counters;
    public override uint IbsCaps => Ibs;

    public override int Reserve() { Calls.Add("reserve"); return ReserveResult; }

    public override int Setup(CounterConfig[] counters, in IbsConfig ibs)
    {
        Calls.Add("setup");
        Programmed = (CounterConfig[])counters.Clone();
        ProgrammedIbs = ibs;
        return SetupResult;
    }

    public override void EnableInterrupt() => Calls.Add("enable");
    public override int Start() { Calls.Add("start"); return StartResult; }
    public override void Stop() => Calls.Add("stop");
    public override void DisableInterrupt() => Calls.Add("disable");
    public override void Release() => Calls.Add("release");
}

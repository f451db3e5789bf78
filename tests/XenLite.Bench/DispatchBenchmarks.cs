using System;
using BenchmarkDotNet.Attributes;
using XenLite.Hv.Abi;

namespace XenLite.Bench;

/// <summary>
/// The cost of one trapped hypercall from register decode to result, with no gate or VM exit:
/// xen_version(XENVER_version) alone, a 32-entry multicall of it, and an unrouted number.
/// </summary>
[MemoryDiagnoser]
public unsafe class DispatchBenchmarks
{
    const ulong ListGpa = 0x2000;
    const int Entries = 32;

    BenchMachine _m;

    [GlobalSetup]
    public void Setup()
    {
        _m = new BenchMachine();
        for (int i = 0; i < Entries; i++)
        {
            var e = new MulticallEntry { Op = HypercallNumber.XenVersion };
            e.Args[0] = XenVer.Version;
            _m.Write(ListGpa + (ulong)(i * sizeof(MulticallEntry)), e);
        }
        XenVersion();
        if (_m.Result != (BuildInfoVersion)) throw new InvalidOperationException($"xen_version returned {_m.Result}");
        Multicall32();
        if (_m.Result != 0) throw new InvalidOperationException($"multicall returned {_m.Result}");
    }

    static long BuildInfoVersion => (XenLite.Hv.Common.BuildInfo.Major << 16) | XenLite.Hv.Common.BuildInfo.Minor;

    [GlobalCleanup]
    public void Cleanup() => _m.Dispose();

    [Benchmark(Baseline = true)]
    public bool XenVersion()
    {
        _m.SetCall(HypercallNumber.XenVersion, XenVer.Version);
        return _m.Hv.Dispatcher.Enter(_m.Vcpu);
    }

    [Benchmark]
    public bool Multicall32()
    {
        _m.SetCall(HypercallNumber.Multicall, ListGpa, Entries);
        return _m.Hv.Dispatcher.Enter(_m.Vcpu);
    }

    [Benchmark]
    public bool UnroutedNumber()
    {
        _m.SetCall(63);
        return _m.Hv.Dispatcher.Enter(_m.Vcpu);
    }
}

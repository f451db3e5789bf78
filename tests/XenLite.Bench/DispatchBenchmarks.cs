using System;
using System.Runtime.InteropServices;
using XenLite.Hv.Arch.X86;
using BenchmarkDotNet.Attributes;
using XenLite.Hv.Abi;

namespace XenLite.Bench;

/// <summary>
/// The cost of one trapped hypercall from register decode to result, with no gate or VM exit:
/// xen_version(XENVER_version) alone, a 32-entry multicall of it (its list at a guest-physical
/// address, paging off, and at a guest-virtual one behind 4-level tables: every entry read and
/// result written walks them), and an unrouted number.
/// </summary>
[MemoryDiagnoser]
public unsafe class DispatchBenchmarks
{
    const ulong ListGpa = 0x2000;
    const int Entries = 32;

    BenchMachine _m, _paged;
    const ulong Top = 0x10000, L3 = 0x11000, L2 = 0x12000, L1 = 0x13000;
    const ulong ListVa = 0xFFFF_8000_0040_0000;

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

        _paged = new BenchMachine();
        for (int i = 0; i < Entries; i++)
        {
            var e = new MulticallEntry { Op = HypercallNumber.XenVersion };
            e.Args[0] = XenVer.Version;
            _paged.Write(ListGpa + (ulong)(i * sizeof(MulticallEntry)), e);
        }
        // 4-level tables mapping ListVa (2 pages) to ListGpa, written while paging is still off.
        _paged.Write(Top + ((ListVa >> 39) & 511) * 8, L3 | 3UL);
        _paged.Write(L3 + ((ListVa >> 30) & 511) * 8, L2 | 3UL);
        _paged.Write(L2 + ((ListVa >> 21) & 511) * 8, L1 | 3UL);
        _paged.Write(L1 + ((ListVa >> 12) & 511) * 8, ListGpa | 3UL);
        _paged.Write(L1 + (((ListVa >> 12) + 1) & 511) * 8, (ListGpa + 0x1000) | 3UL);
        Vmcb* vmcb = (Vmcb*)NativeMemory.AllocZeroed(4096);
        vmcb->Cr0 = X86Bits.Cr0Pe | X86Bits.Cr0Wp | X86Bits.Cr0Pg;
        vmcb->Cr4 = X86Bits.Cr4Pae;
        vmcb->Efer = X86Bits.EferLme | X86Bits.EferLma | X86Bits.EferNxe;
        vmcb->Cr3 = Top;
        _paged.Vcpu.X86 = new X86VcpuState { Vmcb = vmcb };
        _paged.Hv.Paging = new HvmPageWalk(40, true, true);
        Multicall32Paged();
        if (_paged.Result != 0) throw new InvalidOperationException($"paged multicall returned {_paged.Result}");
    }

    static long BuildInfoVersion => (XenLite.Hv.Common.BuildInfo.Major << 16) | XenLite.Hv.Common.BuildInfo.Minor;

    [GlobalCleanup]
    public void Cleanup()
    {
        _m.Dispose();
        NativeMemory.Free(_paged.Vcpu.X86.Vmcb);
        _paged.Dispose();
    }

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
    public bool Multicall32Paged()
    {
        _paged.SetCall(HypercallNumber.Multicall, ListVa, Entries);
        return _paged.Hv.Dispatcher.Enter(_paged.Vcpu);
    }

    [Benchmark]
    public bool UnroutedNumber()
    {
        _m.SetCall(63);
        return _m.Hv.Dispatcher.Enter(_m.Vcpu);
    }
}

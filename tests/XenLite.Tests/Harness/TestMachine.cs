using System;
using System.Runtime.InteropServices;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using XenLite.Hv.Xsm;

namespace XenLite.Tests.Harness;

/// <summary>
/// A hosted hypervisor with simulated RAM (one pinned byte array) and helpers to build
/// guests, put bytes in their memory and issue hypercalls through the real gate path.
/// </summary>
public sealed unsafe class TestMachine : IDisposable
{
    public const ulong DefaultRamPages = 4096; // 16 MiB
    public const ulong FirstFrame = 0x100;     // machine frames start above 1 MiB, as on real boxes

    readonly byte[] _ram;
    readonly GCHandle _pin;
    public readonly FakePlatform Platform = new();
    public readonly Hypervisor Hv;

    public TestMachine(Action<HandlerRegistry> extraHandlers = null, ulong ramPages = DefaultRamPages, XsmModule xsm = null, Feature features = Feature.Core)
    {
        _ram = new byte[ramPages * Page.Size];
        _pin = GCHandle.Alloc(_ram, GCHandleType.Pinned);
        var memory = new MachineMemory((byte*)_pin.AddrOfPinnedObject(), FirstFrame, ramPages);
        var registry = new HandlerRegistry();
        CoreHandlers.Register(registry);
        registry.Enable(features);
        extraHandlers?.Invoke(registry);
        Hv = new Hypervisor(Platform, memory, registry, new BuildInfo { CommandLine = "console=com1 loglvl=all" }, xsm ?? new DummyXsm());
    }

    public void Dispose() => _pin.Free();

    /// <summary>A domain with <paramref name="pages"/> pages of RAM; domain 0 is privileged by default.</summary>
    public Domain NewDomain(GuestMode mode, uint id = 0, ulong pages = 64, int vcpus = 1, bool? privileged = null)
    {
        var cfg = new DomainConfig { Id = id, Mode = mode, Vcpus = vcpus, Pages = pages, Privileged = privileged ?? id == 0 };
        var d = Hv.CreateDomain(cfg) ?? throw new InvalidOperationException("domain creation failed");
        if (GuestModes.IsPv(mode)) PvPageTables.Build(this, d);
        return d;
    }

    /// <summary>Issues a hypercall the way a guest does: registers in, gate, registers out.</summary>
    public long Call(Vcpu v, int number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0)
    {
        var mode = v.Mode;
        v.Regs[HypercallRegisters.NumberRegister(mode)] = (ulong)number;
        ulong[] a = { a0, a1, a2, a3, a4, a5 };
        for (int i = 0; i < 6; i++) v.Regs[HypercallRegisters.ArgRegister(mode, i)] = a[i];
        bool done = Hv.Dispatcher.Enter(v);
        LastCallRestarted = !done;
        if (!done) return (long)v.Regs[HypercallRegisters.NumberRegister(mode)];
        ulong r = v.Regs[HypercallRegisters.ResultRegister(mode)];
        return GuestModes.Is32Bit(mode) ? (int)(uint)r : (long)r;
    }

    /// <summary>True when the last <see cref="Call"/> ended in a continuation (guest re-executes it).</summary>
    public bool LastCallRestarted;

    /// <summary>Re-executes the hypercall left in the registers, as the guest would after a continuation.</summary>
    public long Resume(Vcpu v)
    {
        bool done = Hv.Dispatcher.Enter(v);
        LastCallRestarted = !done;
        ulong r = v.Regs[HypercallRegisters.ResultRegister(v.Mode)];
        return GuestModes.Is32Bit(v.Mode) ? (int)(uint)r : (long)r;
    }

    /// <summary>Runs a hypercall to completion through any number of continuations.</summary>
    public long CallToCompletion(Vcpu v, int number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0)
    {
        long rc = Call(v, number, a0, a1, a2, a3, a4, a5);
        for (int guard = 0; LastCallRestarted; guard++)
        {
            if (guard > 1_000_000) throw new InvalidOperationException("continuation never finished");
            rc = Resume(v);
        }
        return rc;
    }

    /// <summary>The address a guest uses for its byte at guest-physical <paramref name="gpa"/> (PV: the mapped virtual address).</summary>
    public static ulong GuestAddr(Domain d, ulong gpa) => GuestModes.IsPv(d.Mode) ? PvPageTables.VirtBaseFor(d.Mode) + gpa : gpa;

    /// <summary>Writes bytes into a domain's memory at guest-physical <paramref name="gpa"/>, bypassing the door.</summary>
    public void Poke(Domain d, ulong gpa, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++) *HostPtr(d, gpa + (ulong)i) = bytes[i];
    }

    public byte[] Peek(Domain d, ulong gpa, int length)
    {
        var r = new byte[length];
        for (int i = 0; i < length; i++) r[i] = *HostPtr(d, gpa + (ulong)i);
        return r;
    }

    public T PeekStruct<T>(Domain d, ulong gpa) where T : unmanaged
    {
        var bytes = Peek(d, gpa, sizeof(T));
        fixed (byte* p = bytes) return *(T*)p;
    }

    public void PokeStruct<T>(Domain d, ulong gpa, in T value) where T : unmanaged
    {
        T v = value;
        Poke(d, gpa, new ReadOnlySpan<byte>(&v, sizeof(T)));
    }

    public byte* HostPtr(Domain d, ulong gpa)
    {
        var mfn = d.P2m.Lookup(new Gpa(gpa).Frame);
        if (!mfn.IsValid) throw new ArgumentOutOfRangeException(nameof(gpa), $"gpa {gpa:x} not mapped in d{d.Id}");
        return Hv.Memory.Map(mfn) + (gpa & Page.Mask);
    }
}

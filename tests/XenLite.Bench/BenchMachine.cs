using System;
using System.Runtime.InteropServices;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using XenLite.Hv.Xsm;

namespace XenLite.Bench;

/// <summary>A hosted hypervisor with the core handlers and one privileged HVM64 domain, as the tests build it.</summary>
public sealed unsafe class BenchMachine : IDisposable
{
    const ulong RamPages = 1024;
    const ulong FirstFrame = 0x100;

    readonly byte* _ram;
    public readonly Hypervisor Hv;
    public readonly Domain Dom0;
    public Vcpu Vcpu => Dom0.Vcpus[0];

    public BenchMachine()
    {
        _ram = (byte*)NativeMemory.AllocZeroed((nuint)(RamPages * Page.Size));
        var registry = new HandlerRegistry();
        CoreHandlers.Register(registry);
        Hv = new Hypervisor(new QuietPlatform(), new MachineMemory(_ram, FirstFrame, RamPages), registry, new BuildInfo(), new DummyXsm());
        var cfg = new DomainConfig { Id = 0, Mode = GuestMode.Hvm64, Vcpus = 1, Pages = 64, Privileged = true };
        Dom0 = Hv.CreateDomain(cfg) ?? throw new InvalidOperationException("domain creation failed");
    }

    /// <summary>Loads the registers as a guest does before VMCALL/VMMCALL.</summary>
    public void SetCall(int number, ulong a0 = 0, ulong a1 = 0)
    {
        Vcpu.Regs[HypercallRegisters.NumberRegister(GuestMode.Hvm64)] = (ulong)number;
        Vcpu.Regs[HypercallRegisters.ArgRegister(GuestMode.Hvm64, 0)] = a0;
        Vcpu.Regs[HypercallRegisters.ArgRegister(GuestMode.Hvm64, 1)] = a1;
    }

    public long Result => (long)Vcpu.Regs[HypercallRegisters.ResultRegister(GuestMode.Hvm64)];

    public void Write<T>(ulong gpa, in T value) where T : unmanaged
    {
        T copy = value;
        if (GuestMemory.CopyTo(Vcpu, gpa, &copy, (ulong)sizeof(T)) != 0) throw new InvalidOperationException("guest write failed");
    }

    public void Dispose() => NativeMemory.Free(_ram);

    sealed class QuietPlatform : Platform
    {
        public override ulong NowNs() => 0;
        public override void ConsoleWrite(byte b) { }
        public override bool PreemptPending() => false;
        public override void PowerOff(int status) { }
    }
}

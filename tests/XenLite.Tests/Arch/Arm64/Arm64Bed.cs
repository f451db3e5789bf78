using System;
using System.Runtime.InteropServices;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>A hosted machine with the arm64 host started on a <see cref="FakeArm64Cpu"/> and domains built by the real builder.</summary>
public sealed unsafe class Arm64Bed : IDisposable
{
    public const ulong Entry = GuestLayout.RamBase + 0x8_0000;
    public const ulong Vbar = GuestLayout.RamBase + 0x1000;
    public const ulong GicvBase = 0x0804_0000;

    public readonly TestMachine M;
    public readonly FakeArm64Cpu Cpu;
    public readonly Arm64Host Host;
    public readonly Arm64Counters Counters = new();
    GCHandle[] _pins = Array.Empty<GCHandle>();

    /// <param name="plugins">Extra hypercall rows (a plugin's Register) and the features they belong to, as an image builds them in.</param>
    public Arm64Bed(int gic = 3, ulong ramPages = 6144, int listRegisters = 4, Action<HandlerRegistry> plugins = null, Feature features = Feature.Core)
    {
        M = new TestMachine(plugins, ramPages, features: features);
        Cpu = new FakeArm64Cpu { Gic = gic, Lrs = listRegisters };
        Host = Arm64Host.Start(M.Hv, Cpu, Irqs, Counters) ?? throw new InvalidOperationException("arm64 host did not start: " + M.Platform.ConsoleText);
    }

    public static HostInterrupts Irqs => new()
    {
        VirtualTimer = FakeArm64Cpu.VirtualTimerIntid,
        HypervisorTimer = FakeArm64Cpu.HypTimerIntid,
        VirtualCpuInterface = GicvBase,
    };

    public void Dispose()
    {
        foreach (var h in _pins) h.Free();
        M.Dispose();
    }

    public Hypervisor Hv => M.Hv;

    /// <summary>A minimal arm64 Image: the 64-byte header (text_offset 0x80000) and some code bytes.</summary>
    public static byte[] Image(int size = 4096, ulong textOffset = 0x80000, ulong imageSize = 0)
    {
        var b = new byte[size];
        BitConverter.GetBytes(0x14000010u).CopyTo(b, 0);            // b +64
        BitConverter.GetBytes(textOffset).CopyTo(b, 8);
        BitConverter.GetBytes(imageSize == 0 ? (ulong)size : imageSize).CopyTo(b, 16);
        BitConverter.GetBytes(2UL).CopyTo(b, 24);
        BitConverter.GetBytes(0x644D5241u).CopyTo(b, 56);
        return b;
    }

    /// <summary>Pins bytes for the life of the bed and returns them as a blob.</summary>
    public Arm64Blob Blob(byte[] bytes)
    {
        var h = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        Array.Resize(ref _pins, _pins.Length + 1);
        _pins[^1] = h;
        return new Arm64Blob { Data = (byte*)h.AddrOfPinnedObject(), Length = (ulong)bytes.Length };
    }

    public Arm64GuestSpec Spec(string name, byte[] kernel, ulong memoryKiB = 8192, int cpus = 1, bool vpl011 = true, string bootargs = "")
    {
        var g = new Arm64GuestSpec { MemoryKiB = memoryKiB, Cpus = cpus, Vpl011 = vpl011, Kernel = Blob(kernel) };
        Arm64Blob n = Blob(System.Text.Encoding.ASCII.GetBytes(name));
        g.Name = n.Data;
        g.NameLength = (int)n.Length;
        Arm64Blob a = Blob(System.Text.Encoding.ASCII.GetBytes(bootargs + "\0"));
        g.Bootargs = a.Data;
        g.BootargsLength = bootargs.Length;
        return g;
    }

    /// <summary>A built domain (8 MiB, an Image) with VBAR_EL1 set so injected exceptions have somewhere to go.</summary>
    public Domain NewDomain(uint id = 1, int cpus = 1, bool privileged = false, bool vpl011 = true)
    {
        Domain d = Arm64Builder.Build(Host, Spec("guest" + id, Image(), cpus: cpus, vpl011: vpl011), id, privileged, 0)
            ?? throw new InvalidOperationException("build failed: " + M.Platform.ConsoleText);
        for (int i = 0; i < d.Vcpus.Length; i++) Host.WriteEl1(d.Vcpus[i], El1Reg.Vbar, Vbar);
        return d;
    }

    /// <summary>Runs <paramref name="v"/> once: the guest "executes" <paramref name="guest"/> and exits with <paramref name="esr"/>.</summary>
    public Arm64ExitResult Exit(Vcpu v, ulong esr, ulong far = 0, ulong ipa = 0, FakeArm64Cpu.GuestStep guest = null, ulong kind = GuestContext.ExitSync)
    {
        Cpu.Steps.Enqueue((regs, ctx) =>
        {
            guest?.Invoke(regs, ctx);
            ctx->ExitKind = kind;
            ctx->Esr = esr;
            ctx->Far = far != 0 ? far : ipa;   // identity stage 1 unless a test says otherwise: the page offset comes from FAR
            ctx->Hpfar = (ipa >> 12) << 4;
        });
        return Arm64Run.RunOnce(Host, v);
    }

    public Arm64ExitResult Irq(Vcpu v, params uint[] intids)
    {
        foreach (uint i in intids) Cpu.PendingInterrupts.Enqueue(i);
        return Exit(v, 0, kind: GuestContext.ExitIrq);
    }

    // Syndromes as the hardware reports them (IL set: 32-bit instructions).
    public static ulong Hvc(uint imm) => (0x16UL << 26) | Esr.Il | imm;
    public static ulong Smc(uint imm) => (0x17UL << 26) | Esr.Il | imm;
    public static ulong Wfi => (0x01UL << 26) | Esr.Il;
    public static ulong Wfe => (0x01UL << 26) | Esr.Il | 1;
    public static ulong DataAbort(bool isv = true, int sizeLog2 = 2, int rt = 0, bool write = false, bool signExtend = false, bool sf = false, uint fsc = 0x07) =>
        (0x24UL << 26) | Esr.Il | (isv ? 1UL << 24 : 0) | ((ulong)sizeLog2 << 22) | (signExtend ? 1UL << 21 : 0)
        | ((ulong)rt << 16) | (sf ? 1UL << 15 : 0) | (write ? 1UL << 6 : 0) | fsc;
    public static ulong InstructionAbort(uint fsc = 0x07) => (0x20UL << 26) | Esr.Il | fsc;
    public static ulong Sysreg(uint op0, uint op1, uint crn, uint crm, uint op2, int rt, bool read) =>
        (0x18UL << 26) | Esr.Il | ((ulong)op0 << 20) | ((ulong)op2 << 17) | ((ulong)op1 << 14) | ((ulong)crn << 10)
        | ((ulong)rt << 5) | ((ulong)crm << 1) | (read ? 1UL : 0);
}

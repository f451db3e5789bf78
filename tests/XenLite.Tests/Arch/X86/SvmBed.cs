using System;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Arch.X86;

/// <summary>A hosted machine with SVM started on a <see cref="FakeX86Cpu"/> and PVH domains built on it.</summary>
public sealed unsafe class SvmBed : IDisposable
{
    public const uint Entry = 0x2000;
    public const uint StartInfo = 0x6000;

    public readonly TestMachine M;
    public readonly FakeX86Cpu Cpu = new();
    public readonly SvmHost Host;

    public SvmBed(Action<HandlerRegistry> extraHandlers = null)
    {
        M = new TestMachine(extraHandlers);
        Cpu.Memory = M.Hv.Memory;
        Host = SvmHost.Start(M.Hv, Cpu) ?? throw new InvalidOperationException("SVM did not start: " + M.Platform.ConsoleText);
    }

    public void Dispose() => M.Dispose();

    public Hypervisor Hv => M.Hv;

    /// <summary>A PVH domain (not privileged) with SVM state, vCPU 0 at its entry point.</summary>
    public Domain NewPvh(uint id = 1, ulong pages = 64, int vcpus = 1)
    {
        Domain d = M.NewDomain(GuestMode.Hvm64, id, pages, vcpus, privileged: false);
        if (!SvmDomain.Create(Host, d)) throw new InvalidOperationException("SvmDomain.Create failed");
        SvmSetup.PvhEntry(d.Vcpus[0], Entry, StartInfo);
        return d;
    }

    public static Vmcb* VmcbOf(Vcpu v) => v.X86.Vmcb;

    /// <summary>Runs <paramref name="v"/> once: the guest "executes" <paramref name="guest"/> and exits with <paramref name="code"/>.</summary>
    public SvmExitResult Exit(Vcpu v, ulong code, ulong info1 = 0, ulong info2 = 0, FakeX86Cpu.GuestStep guest = null)
    {
        Cpu.Steps.Enqueue((vmcb, regs) =>
        {
            guest?.Invoke(vmcb, regs);
            vmcb->ExitCode = code;
            vmcb->ExitInfo1 = info1;
            vmcb->ExitInfo2 = info2;
        });
        return SvmRun.RunOnce(Host, v);
    }

    /// <summary>Puts the vCPU in 64-bit long mode (EFER.LMA and CS.L), as a PVH kernel does after its trampoline.</summary>
    public static void EnterLongMode(Vcpu v)
    {
        Vmcb* vmcb = v.X86.Vmcb;
        vmcb->Efer |= X86Bits.EferLme | X86Bits.EferLma;
        vmcb->Cr0 |= X86Bits.Cr0Pg;
        vmcb->Cs.Attrib = 0xA9B;
    }
}

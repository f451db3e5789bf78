using System;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Arch.X86;

/// <summary>A hosted machine with VMX started on a <see cref="FakeVmxCpu"/> and PVH domains built on it (SvmBed's twin).</summary>
public sealed unsafe class VmxBed : IDisposable
{
    public const uint Entry = 0x2000;
    public const uint StartInfo = 0x6000;

    public readonly TestMachine M;
    public readonly FakeVmxCpu Cpu = new();
    public readonly SvmHost Host;

    public VmxBed() : this(null) { }

    /// <summary>A bed whose fake CPU <paramref name="tweak"/> edits (capability MSRs) before VMX starts.</summary>
    public VmxBed(Action<FakeVmxCpu> tweak)
    {
        tweak?.Invoke(Cpu);
        M = new TestMachine();
        Cpu.MapMachine = ma => (IntPtr)(M.Hv.Memory.Map(new Maddr(ma).Frame) + (ma & 0xFFF));
        Host = SvmHost.Start(M.Hv, Cpu) ?? throw new InvalidOperationException("VMX did not start: " + M.Platform.ConsoleText);
    }

    public void Dispose() => M.Dispose();

    public Hypervisor Hv => M.Hv;

    public Domain NewPvh(uint id = 1, ulong pages = 64, int vcpus = 1)
    {
        Domain d = M.NewDomain(GuestMode.Hvm64, id, pages, vcpus, privileged: false);
        if (!SvmDomain.Create(Host, d)) throw new InvalidOperationException("VmxDomain.Create failed: " + M.Platform.ConsoleText);
        SvmSetup.PvhEntry(d.Vcpus[0], Entry, StartInfo);
        return d;
    }

    /// <summary>Runs <paramref name="v"/> once: the guest "executes" <paramref name="guest"/> and exits with <paramref name="reason"/>.</summary>
    public SvmExitResult Exit(Vcpu v, uint reason, ulong qualification = 0, uint length = 0, ulong gpa = 0, FakeVmxCpu.GuestStep guest = null)
    {
        Cpu.Steps.Enqueue((cpu, regs) =>
        {
            guest?.Invoke(cpu, regs);
            cpu[VmcsField.ExitReason] = reason;
            cpu[VmcsField.ExitQualification] = qualification;
            cpu[VmcsField.ExitInstructionLength] = length;
            cpu[VmcsField.GuestPhysicalAddress] = gpa;
        });
        return SvmRun.RunOnce(Host, v);
    }
}

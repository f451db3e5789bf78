using System;
using System.Collections.Generic;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Tests.Arch.X86;

/// <summary>
/// A scripted AMD CPU (Hafnium's fake arch): CPUID leaves and MSRs are tables, and each VMRUN
/// plays the next queued guest step, which leaves an exit code and info in the VMCB as the
/// hardware would.
/// </summary>
public sealed unsafe class FakeX86Cpu : X86Cpu
{
    public delegate void GuestStep(Vmcb* vmcb, RegisterFile* regs);

    public readonly Dictionary<(uint Leaf, uint Sub), (uint A, uint B, uint C, uint D)> Leaves = new();
    public readonly Dictionary<uint, ulong> Msrs = new();
    public readonly Queue<GuestStep> Steps = new();
    public MachineMemory Memory;
    public ulong Tsc = 1_000_000;
    public uint Khz = 2_500_000;
    public int VmRuns;
    public ulong LastVmcbMaddr;
    /// <summary>The VMCB as VMRUN saw it (a copy), for checking what was loaded.</summary>
    public Vmcb LastEntry;

    public const uint MaxBasic = 0xD, MaxExtended = 0x8000_001F;
    // Leaf 1 with every bit we expect hidden set, so masking is visible.
    public const uint Leaf1Eax = 0x00A2_0F12, Leaf1Ebx = 0x0108_0800, Leaf1Ecx = 0x7ED8_320B, Leaf1Edx = 0x178B_FBFF;
    public const uint Ext1Ecx = 0x0000_37FF, Ext1Edx = 0x2FD3_FBFF;
    public const uint Asids = 16;

    public FakeX86Cpu()
    {
        Leaves[(0, 0)] = (MaxBasic, 0x6874_7541, 0x444D_4163, 0x6974_6E65); // AuthenticAMD
        Leaves[(1, 0)] = (Leaf1Eax, Leaf1Ebx, Leaf1Ecx, Leaf1Edx);
        Leaves[(5, 0)] = (0x40, 0x40, 3, 0x11);
        Leaves[(7, 0)] = (0, 0x219C_07AB, 0x0040_068C, 0);
        Leaves[(0xD, 0)] = (7, 0x340, 0x340, 0);
        Leaves[(0x8000_0000, 0)] = (MaxExtended, 0x6874_7541, 0x444D_4163, 0x6974_6E65);
        Leaves[(0x8000_0001, 0)] = (0x00A2_0F12, 0, Ext1Ecx, Ext1Edx);
        Leaves[(0x8000_000A, 0)] = (1, Asids, 0, 0x0000_0009); // NP, NRIPS
        Msrs[SvmHost.MsrEfer] = 0x0000_0D01; // SCE, LME, LMA, NXE
        Msrs[SvmHost.MsrVmCr] = 0;
    }

    public override void Cpuid(uint leaf, uint subleaf, out uint a, out uint b, out uint c, out uint d)
    {
        if (!Leaves.TryGetValue((leaf, subleaf), out var r)) Leaves.TryGetValue((leaf, 0u), out r);
        (a, b, c, d) = r;
    }

    public override ulong ReadMsr(uint msr) => Msrs.TryGetValue(msr, out ulong v) ? v : throw new InvalidOperationException($"host rdmsr {msr:x} would #GP");

    public override void WriteMsr(uint msr, ulong value) => Msrs[msr] = value;

    public override void WriteEfer(ulong value) => Msrs[SvmHost.MsrEfer] = value;

    /// <summary>Real ports: what a byte read returns (all ones when absent) and every byte written, in order.</summary>
    public readonly Dictionary<ushort, byte> PortValues = new();
    public readonly List<(ushort Port, byte Value)> PortWrites = new();

    public override byte InB(ushort port) => PortValues.TryGetValue(port, out byte b) ? b : (byte)0xFF;

    public override void OutB(ushort port, byte value) => PortWrites.Add((port, value));

    public override ulong Rdtsc() => Tsc;

    public override uint TscKhz => Khz;

    public override void VmRun(ulong vmcbMaddr, RegisterFile* gprs)
    {
        if (Steps.Count == 0) throw new InvalidOperationException("VMRUN with no scripted guest step");
        VmRuns++;
        LastVmcbMaddr = vmcbMaddr;
        var vmcb = (Vmcb*)Memory.Map(new Maddr(vmcbMaddr).Frame);
        LastEntry = *vmcb;
        vmcb->ExitIntInfo = 0;
        Steps.Dequeue()(vmcb, gprs);
    }
}

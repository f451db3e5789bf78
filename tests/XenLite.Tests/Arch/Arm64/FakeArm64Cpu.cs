using System;
using System.Collections.Generic;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>
/// A scripted arm64 CPU with a GIC (Hafnium's fake arch): EL1 registers, list registers and the
/// virtual interface are arrays, physical interrupts a queue, and each guest entry plays the
/// next queued step, which leaves an exit kind and syndrome in the context as the hardware would.
/// </summary>
public sealed unsafe class FakeArm64Cpu : Arm64Cpu
{
    public delegate void GuestStep(RegisterFile* regs, GuestContext* ctx);

    public int Gic = 3;
    public int Lrs = 4;
    public ulong Count = 1_000_000;
    public ulong Frequency = 62_500_000;
    public uint PaRange = 2;
    public readonly ulong[] El1 = new ulong[El1Reg.Count];
    public readonly ulong[] Lr = new ulong[16];
    public ulong Vmcr, Apr;
    public Arm64World World;
    public ulong Vtcr, Cnthctl;
    public readonly List<uint> EnabledPpis = new();
    public readonly Queue<uint> PendingInterrupts = new();
    public readonly List<uint> Ended = new();
    public readonly List<ulong> FlushedVttbrs = new();
    public ulong HypTimer;
    public readonly Queue<GuestStep> Steps = new();
    public int Runs;
    /// <summary>Registers and list registers as the last guest entry saw them.</summary>
    public RegisterFile LastEntry;
    public ulong[] LastEntryLr = new ulong[16];
    /// <summary>What one WFI does: by default the clock jumps to the armed EL2 timer, which then fires.</summary>
    public Action OnWfi;

    public override int GicVersion => Gic;
    public override ulong CounterFrequency => Frequency;
    public override ulong Counter() => Count;
    public override uint PhysicalAddressRange => PaRange;
    public override ulong Midr => 0x410F_D034;

    public override void EnableVirtualization(ulong vtcr, ulong cnthctl)
    {
        Vtcr = vtcr;
        Cnthctl = cnthctl;
    }

    public override void LoadWorld(in Arm64World w) => World = w;

    public override void SaveEl1(GuestContext* ctx)
    {
        for (int i = 0; i < El1Reg.Count; i++) ctx->El1[i] = El1[i];
    }

    public override void LoadEl1(GuestContext* ctx)
    {
        for (int i = 0; i < El1Reg.Count; i++) El1[i] = ctx->El1[i];
    }

    public override ulong ReadEl1(int reg) => El1[reg];

    public override void WriteEl1(int reg, ulong value) => El1[reg] = value;

    public override void Run(RegisterFile* regs, GuestContext* ctx)
    {
        if (Steps.Count == 0) throw new InvalidOperationException("guest entry with no scripted guest step");
        Runs++;
        LastEntry = *regs;
        Array.Copy(Lr, LastEntryLr, Lr.Length);
        ctx->ExitKind = GuestContext.ExitSync;
        Steps.Dequeue()(regs, ctx);
    }

    public override void FlushGuestTlb(ulong vttbr) => FlushedVttbrs.Add(vttbr);

    public override int ListRegisters => Lrs;
    public override ulong ReadLr(int index) => Lr[index];
    public override void WriteLr(int index, ulong value) => Lr[index] = value;

    public override void SaveVirtualInterface(out ulong vmcr, out ulong apr)
    {
        vmcr = Vmcr;
        apr = Apr;
    }

    public override void LoadVirtualInterface(ulong vmcr, ulong apr)
    {
        Vmcr = vmcr;
        Apr = apr;
    }

    public override void EnablePpi(uint intid) => EnabledPpis.Add(intid);
    public override uint AcknowledgeInterrupt() => PendingInterrupts.Count > 0 ? PendingInterrupts.Dequeue() : 1023u;
    public override void EndInterrupt(uint intid) => Ended.Add(intid);
    public override void SetHypervisorTimer(ulong count) => HypTimer = count;

    public const uint HypTimerIntid = 26, VirtualTimerIntid = 27;

    public override void WaitForInterrupt()
    {
        if (OnWfi != null) { OnWfi(); return; }
        if (HypTimer == 0) throw new InvalidOperationException("WFI with nothing armed would sleep forever");
        if (HypTimer > Count) Count = HypTimer;
        PendingInterrupts.Enqueue(HypTimerIntid);
    }
}

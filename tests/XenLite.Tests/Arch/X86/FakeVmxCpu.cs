using System;
using System.Collections.Generic;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.X86;

/// <summary>
/// A scripted Intel CPU with VMX (the fake-arch idea of <see cref="FakeX86Cpu"/>): CPUID and the
/// VMX capability MSRs are tables (values as Bochs' corei7_sandy_bridge_2600k reports them), a
/// VMCS is a dictionary of fields per machine address, and each VM entry plays the next queued
/// guest step, which writes the exit reason and details into the current VMCS as hardware would.
/// </summary>
public sealed unsafe class FakeVmxCpu : X86Cpu
{
    public delegate void GuestStep(FakeVmxCpu cpu, RegisterFile* regs);

    public readonly Dictionary<(uint Leaf, uint Sub), (uint A, uint B, uint C, uint D)> Leaves = new();
    public readonly Dictionary<uint, ulong> Msrs = new();
    public readonly Dictionary<ulong, Dictionary<uint, ulong>> Vmcs = new();
    public readonly Queue<GuestStep> Steps = new();
    public readonly List<(int Type, ulong Eptp)> Inverts = new();
    public ulong Current = ulong.MaxValue;
    public ulong VmxonRegion;
    public int Entries, Launches, HostStateWrites;
    /// <summary>The VMCS fields as the last VM entry saw them (a copy).</summary>
    public Dictionary<uint, ulong> LastEntry = new();
    /// <summary>When nonzero, the next VM entry fails with VMfailValid and this VM-instruction error.</summary>
    public uint FailNextEntry;
    /// <summary>Machine address → host pointer, for the VMCS MSR lists (set by <see cref="VmxBed"/>).</summary>
    public Func<ulong, IntPtr> MapMachine;
    /// <summary>The host's values of the MSRs VMX does not switch itself (what a VM exit must leave behind).</summary>
    public const ulong HostStar = 0x0023_0010_0000_0000, HostLstar = 0xFFFF_8000_0010_1000, HostCstar = 0xFFFF_8000_0010_2000;
    public const ulong HostSfmask = 0x4700, HostKernelGsBase = 0xFFFF_8000_0020_0000, HostPat = 0x0007_0406_0007_0406;

    // Leaf 1 ECX with VMX (bit 5) and the bits the guest view hides.
    public const uint Leaf1Ecx = 0x1FBA_E3BF;

    public FakeVmxCpu()
    {
        Leaves[(0, 0)] = (0xD, 0x756E_6547, 0x6C65_746E, 0x4965_6E69); // GenuineIntel
        Leaves[(1, 0)] = (0x0002_06A7, 0x0001_0800, Leaf1Ecx, 0xBFEB_FBFF);
        Leaves[(0x8000_0000, 0)] = (0x8000_0008, 0, 0, 0);
        Leaves[(0x8000_0001, 0)] = (0, 0, 1, 0x2810_0800);
        Msrs[SvmHost.MsrEfer] = 0x0000_0D01;
        Msrs[VmxMsr.FeatureControl] = 0;
        Msrs[VmxMsr.Basic] = 0x00DA_0400_0000_0001UL;          // revision 1, true controls (bit 55)
        Msrs[VmxMsr.Pin] = 0x0000_007F_0000_0016UL;
        Msrs[VmxMsr.TruePin] = 0x0000_007F_0000_0016UL;
        Msrs[VmxMsr.Proc] = 0xFFF9_FFFE_0401_E172UL;
        Msrs[VmxMsr.TrueProc] = 0xFFF9_FFFE_0400_6172UL;       // CR3 load/store exiting may be 0
        Msrs[VmxMsr.Exit] = 0x00FF_FFFF_0003_6DFFUL;
        Msrs[VmxMsr.TrueExit] = 0x00FF_FFFF_0003_6DFBUL;
        Msrs[VmxMsr.Entry] = 0x0000_FFFF_0000_11FFUL;
        Msrs[VmxMsr.TrueEntry] = 0x0000_FFFF_0000_11FBUL;
        Msrs[VmxMsr.Proc2] = 0x0000_00FF_0000_0000UL;          // EPT, unrestricted guest, WBINVD exiting…
        Msrs[VmxMsr.EptVpidCap] = 0x0000_0F01_0611_4141UL;
        Msrs[VmxMsr.Cr0Fixed0] = 0x8000_0021;                  // PG, NE, PE
        Msrs[VmxMsr.Cr0Fixed1] = 0xFFFF_FFFF;
        Msrs[VmxMsr.Cr4Fixed0] = 0x2000;                       // VMXE
        Msrs[VmxMsr.Cr4Fixed1] = 0x0037_27FF;
        Msrs[SvmMsrs.KernelGsBase] = HostKernelGsBase;
        Msrs[SvmMsrs.Star] = HostStar;
        Msrs[SvmMsrs.Lstar] = HostLstar;
        Msrs[SvmMsrs.Cstar] = HostCstar;
        Msrs[SvmMsrs.Sfmask] = HostSfmask;
        Msrs[SvmMsrs.Pat] = HostPat;
    }

    public override void Cpuid(uint leaf, uint subleaf, out uint a, out uint b, out uint c, out uint d)
    {
        if (!Leaves.TryGetValue((leaf, subleaf), out var r)) Leaves.TryGetValue((leaf, 0u), out r);
        (a, b, c, d) = r;
    }

    public override ulong ReadMsr(uint msr) => Msrs.TryGetValue(msr, out ulong v) ? v : throw new InvalidOperationException($"host rdmsr {msr:x} would #GP");

    public override void WriteMsr(uint msr, ulong value) => Msrs[msr] = value;

    public override void WriteEfer(ulong value) => Msrs[SvmHost.MsrEfer] = value;

    public override ulong Rdtsc() => 1_000_000;

    public override uint TscKhz => 2_500_000;

    public override void VmRun(ulong vmcbMaddr, RegisterFile* gprs) => throw new InvalidOperationException("VMRUN on an Intel CPU");

    public override bool VmxOn(ulong regionMaddr, ulong cr0Fixed0, ulong cr4Fixed0)
    {
        VmxonRegion = regionMaddr;
        return true;
    }

    public override bool VmClear(ulong vmcsMaddr)
    {
        Vmcs[vmcsMaddr] = new Dictionary<uint, ulong>();
        if (Current == vmcsMaddr) Current = ulong.MaxValue;
        return true;
    }

    public override bool VmPtrLoad(ulong vmcsMaddr)
    {
        if (!Vmcs.ContainsKey(vmcsMaddr)) Vmcs[vmcsMaddr] = new Dictionary<uint, ulong>();
        Current = vmcsMaddr;
        return true;
    }

    Dictionary<uint, ulong> Cur => Current != ulong.MaxValue ? Vmcs[Current] : throw new InvalidOperationException("no current VMCS");

    public override ulong VmRead(uint field) => Cur.TryGetValue(field, out ulong v) ? v : 0;

    public override void VmWrite(uint field, ulong value) => Cur[field] = value;

    public ulong this[uint field]
    {
        get => VmRead(field);
        set => VmWrite(field, value);
    }

    public override void InvEpt(int type, ulong eptp) => Inverts.Add((type, eptp));

    public override void VmxHostState()
    {
        HostStateWrites++;
        Cur[VmcsField.HostRip] = 0xFFFF_8000_0010_0000;
    }

    public override int VmEnter(bool launched, RegisterFile* gprs)
    {
        if (FailNextEntry != 0)
        {
            Cur[VmcsField.InstructionError] = FailNextEntry;
            FailNextEntry = 0;
            return 2;
        }
        if (Steps.Count == 0) throw new InvalidOperationException("VM entry with no scripted guest step");
        Entries++;
        if (!launched) Launches++;
        LastEntry = new Dictionary<uint, ulong>(Cur);
        Cur[VmcsField.IdtVectoringInfo] = 0;
        Cur[VmcsField.EntryInterruptInfo] = 0;
        // As the CPU does (SDM 27.4, 28.4, 28.5): VM entry loads guest PAT and the entry MSR-load
        // list after the guest state; VM exit stores the exit MSR-store list and the guest's PAT,
        // then loads the host's PAT and the exit MSR-load list.
        if ((Cur[VmcsField.EntryControls] & VmxCtl.EntryLoadPat) != 0) Msrs[SvmMsrs.Pat] = Cur[VmcsField.GuestPat];
        LoadList(VmcsField.EntryMsrLoadAddress, VmcsField.EntryMsrLoadCount);
        Steps.Dequeue()(this, gprs);
        StoreList(VmcsField.ExitMsrStoreAddress, VmcsField.ExitMsrStoreCount);
        ulong exitControls = VmRead(VmcsField.ExitControls);
        if ((exitControls & VmxCtl.ExitSavePat) != 0) Cur[VmcsField.GuestPat] = Msrs[SvmMsrs.Pat];
        if ((exitControls & VmxCtl.ExitLoadPat) != 0) Msrs[SvmMsrs.Pat] = Cur[VmcsField.HostPat];
        LoadList(VmcsField.ExitMsrLoadAddress, VmcsField.ExitMsrLoadCount);
        return 0;
    }

    VmxMsrEntry* List(uint addressField, uint countField, out ulong count)
    {
        count = VmRead(countField);
        if (count == 0) return null;
        ulong address = VmRead(addressField);
        if ((address & 15) != 0) throw new InvalidOperationException($"MSR list at {address:x} is not 16-byte aligned (VM entry would fail)");
        if (MapMachine == null) throw new InvalidOperationException("MSR lists need MapMachine");
        return (VmxMsrEntry*)MapMachine(address);
    }

    void LoadList(uint addressField, uint countField)
    {
        VmxMsrEntry* e = List(addressField, countField, out ulong n);
        for (ulong i = 0; i < n; i++)
        {
            // FS/GS base may not be in a load list (SDM 26.4): they are VMCS state.
            if (e[i].Index is SvmMsrs.FsBase or SvmMsrs.GsBase || e[i].Reserved != 0)
                throw new InvalidOperationException($"MSR-load list entry {i} (msr {e[i].Index:x}) would fail the VM entry/exit");
            Msrs[e[i].Index] = e[i].Value;
        }
    }

    void StoreList(uint addressField, uint countField)
    {
        VmxMsrEntry* e = List(addressField, countField, out ulong n);
        for (ulong i = 0; i < n; i++) e[i].Value = ReadMsr(e[i].Index);
    }
}

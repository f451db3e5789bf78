using System;
using System.Runtime.InteropServices;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;
using static XenLite.Tests.Loader.ElfWriter;

namespace XenLite.Tests.Loader;

/// <summary>The 32-bit PV (compat) domain builder: Xen's dom0_construct_pv layout for pv32, PAE tables read through GuestMemory's PV walker.</summary>
[Category("loader")]
[Category("pv32")]
public unsafe class Pv32BuilderTests
{
    public const uint VirtBase = 0xC000_0000;
    public const uint KernelVa = VirtBase + PhysBase;
    public const uint EntryVa = KernelVa + 0x40;
    public const uint HypercallVa = KernelVa + 0x1000;
    const ulong Pages = 1024; // 4 MiB

    /// <summary>A PV32 kernel: ELF32 i386, text (with the hypercall page) at p_paddr 1 MiB, data with bss; Linux-style notes, PAE.</summary>
    public static ElfWriter Pv()
    {
        var w = new ElfWriter { Class = 1, Machine = 3, Entry = EntryVa };
        w.Segments.Add(new Segment { PAddr = PhysBase, VAddr = KernelVa, Data = Pattern(TextSize, 1), MemSize = TextSize });
        w.Segments.Add(new Segment { Flags = 6, PAddr = DataBase, VAddr = VirtBase + DataBase, Data = Pattern(DataFileSize, 7), MemSize = DataMemSize });
        w.Notes.Add(XenString(XenElfNote.GuestOs, "linux"));
        w.Notes.Add(XenString(XenElfNote.XenVersion, "xen-3.0"));
        w.Notes.Add(XenU32(XenElfNote.VirtBase, VirtBase));
        w.Notes.Add(XenU32(XenElfNote.PaddrOffset, 0));
        w.Notes.Add(XenU32(XenElfNote.Entry, EntryVa));
        w.Notes.Add(XenU32(XenElfNote.HypercallPage, HypercallVa));
        w.Notes.Add(XenString(XenElfNote.PaeMode, "yes"));
        return w;
    }

    public sealed class Rig : IDisposable
    {
        public readonly TestMachine M = new(ramPages: 4096);
        public readonly Domain D;
        public PvBoot Boot;

        public Rig(ulong pages = Pages, bool privileged = true)
        {
            D = M.Hv.CreateDomain(new DomainConfig { Id = 0, Mode = GuestMode.Pv32, Vcpus = 1, Pages = pages, Privileged = privileged })
                ?? throw new InvalidOperationException("no domain");
        }

        public LoadRefusal Build(byte[] image, string cmdline = "console=hvc0", byte[] initrd = null)
        {
            using var g = new GuardedImage(image);
            byte[] cmd = cmdline == null ? null : Encoding.ASCII.GetBytes(cmdline + "\0");
            GCHandle ih = default;
            try
            {
                var mod = new BootModule();
                if (initrd != null)
                {
                    ih = GCHandle.Alloc(initrd, GCHandleType.Pinned);
                    mod.Data = (byte*)ih.AddrOfPinnedObject();
                    mod.Length = (ulong)initrd.Length;
                }
                fixed (byte* c = cmd)
                    return Pv32Builder.Build(D, g.Pointer, (ulong)image.Length, c, cmd == null ? 0 : (ulong)cmd.Length - 1,
                        initrd != null ? &mod : null, out Boot);
            }
            finally
            {
                if (ih.IsAllocated) ih.Free();
            }
        }

        /// <summary>vCPU 0 set up as the guest starts: its CR3 is the bootstrap PAE L3.</summary>
        public Vcpu Cpu
        {
            get
            {
                Vcpu v = D.Vcpus[0];
                v.Mode = GuestMode.Pv32;
                v.Regs.PageTableBase = Boot.PageTable.Value;
                return v;
            }
        }

        public byte[] Read(ulong va, int length)
        {
            var b = new byte[length];
            fixed (byte* p = b)
                Assert.That(GuestMemory.CopyFrom(Cpu, va, p, (ulong)length), Is.Zero, $"read of {va:x} through the guest's page tables");
            return b;
        }

        public T ReadStruct<T>(ulong va) where T : unmanaged
        {
            Assert.That(GuestMemory.Read(Cpu, va, out T value), Is.Zero, $"read of {va:x}");
            return value;
        }

        public void Dispose() => M.Dispose();
    }

    [Test]
    public void KernelIsLoadedAtVirtBasePlusPaddrAndReadableThroughItsPaeTables()
    {
        using var r = new Rig();
        var w = Pv();
        var rc = r.Build(w.Build());
        Assert.That(rc.Refused, Is.False, rc.Message);
        Assert.That(r.Boot.Entry, Is.EqualTo((ulong)EntryVa));
        Assert.That(r.Boot.Layout.KernStart, Is.EqualTo((ulong)KernelVa));
        Assert.That(r.Boot.Layout.Compat, Is.True);
        Assert.That(r.Read(KernelVa, 0x800), Is.EqualTo(w.Segments[0].Data.AsSpan(0, 0x800).ToArray()));
        Assert.That(r.Read(VirtBase + DataBase, (int)DataFileSize), Is.EqualTo(w.Segments[1].Data));
        Assert.That(r.Read(VirtBase + DataBase + DataFileSize, (int)(DataMemSize - DataFileSize)), Is.All.EqualTo(0), "bss");
        Mfn frame = PvPageWalk.Translate(r.Cpu, new Gva(KernelVa), false);
        Assert.That(frame.Value, Is.EqualTo(r.D.P2m.Lookup(new Gfn(0x100)).Value), "pseudo-physical frame n at VIRT_BASE + n pages");
    }

    [Test]
    public void LayoutHasFourByteP2mEntriesAndXensCompatTableCount()
    {
        using var r = new Rig();
        Assert.That(r.Build(Pv().Build(), initrd: new byte[5000]).Refused, Is.False);
        var l = r.Boot.Layout;
        Assert.That(l.VStart, Is.EqualTo((ulong)VirtBase));
        Assert.That(l.InitrdStart, Is.EqualTo((l.KernEnd + 0xFFF) & ~0xFFFUL));
        Assert.That(l.PhysmapStart, Is.EqualTo(l.InitrdStart + 0x2000));
        Assert.That(l.PhysmapEnd - l.PhysmapStart, Is.EqualTo(Pages * 4), "mfn_list of 32-bit entries");
        Assert.That(l.StartInfoStart, Is.EqualTo(l.PhysmapStart + 0x1000));
        Assert.That(l.PtStart, Is.EqualTo(l.StartInfoStart + 0x1000));
        Assert.That(l.PtFrames, Is.EqualTo(7UL), "the L3, four L2s (as Xen counts for compat) and two L1s for a 4 MiB area");
        Assert.That(l.VEnd - l.VStart, Is.EqualTo(4UL << 20));
        Assert.That(l.VEnd - l.StackEnd, Is.GreaterThanOrEqualTo(512UL << 10));
        Assert.That(r.Boot.StackTop, Is.EqualTo(l.StackEnd));
        Assert.That(r.Boot.PageTable.Value, Is.EqualTo(r.D.P2m.Lookup(new Gfn(l.PfnOf(l.PtStart))).ToMaddr().Value), "cr3 is the L3 at pt_base");
    }

    [Test]
    public void StartInfoHasTheCompatLayoutAndMagic()
    {
        using var r = new Rig();
        var initrd = Pattern(5000, 3);
        Assert.That(r.Build(Pv().Build(), "console=hvc0 root=/dev/ram0", initrd).Refused, Is.False);
        var si = r.ReadStruct<StartInfoX86_32>(r.Boot.StartInfo);
        var l = r.Boot.Layout;
        Assert.That(Encoding.ASCII.GetString(new ReadOnlySpan<byte>(si.Magic, 32)).TrimEnd('\0'), Is.EqualTo("xen-3.0-x86_32p"));
        Assert.That(si.NrPages, Is.EqualTo((uint)Pages));
        Assert.That(si.SharedInfo, Is.EqualTo((uint)r.D.SharedInfo.Frame.ToMaddr().Value));
        Assert.That(si.Flags, Is.EqualTo(StartInfoFlags.Privileged | StartInfoFlags.InitDomain));
        Assert.That(si.PtBase, Is.EqualTo((uint)l.PtStart));
        Assert.That(si.NrPtFrames, Is.EqualTo((uint)l.PtFrames));
        Assert.That(si.MfnList, Is.EqualTo((uint)l.PhysmapStart));
        Assert.That(si.ModStart, Is.EqualTo((uint)l.InitrdStart));
        Assert.That(si.ModLen, Is.EqualTo(5000u));
        Assert.That(si.FirstP2mPfn, Is.EqualTo((uint)Pages));
        Assert.That(Encoding.ASCII.GetString(new ReadOnlySpan<byte>(si.CmdLine, 1024)).TrimEnd('\0'), Is.EqualTo("console=hvc0 root=/dev/ram0"));
        // The same bytes at their 32-bit offsets (xen.h compat start_info), not the 64-bit ones.
        var raw = r.Read(r.Boot.StartInfo, 84);
        Assert.That(BitConverter.ToUInt32(raw, 32), Is.EqualTo((uint)Pages), "nr_pages at 32");
        Assert.That(BitConverter.ToUInt32(raw, 60), Is.EqualTo((uint)l.PtStart), "pt_base at 60");
        Assert.That(BitConverter.ToUInt32(raw, 68), Is.EqualTo((uint)l.PhysmapStart), "mfn_list at 68");
        Assert.That(Encoding.ASCII.GetString(raw, 80, 4), Is.EqualTo("cons"), "cmd_line at 80");
        Assert.That(r.Read(si.ModStart, 5000), Is.EqualTo(initrd));
        var list = r.Read(si.MfnList, (int)Pages * 4);
        for (ulong pfn = 0; pfn < Pages; pfn++)
            Assert.That(BitConverter.ToUInt32(list, (int)pfn * 4), Is.EqualTo((uint)r.D.P2m.Lookup(new Gfn(pfn)).Value), $"mfn_list[{pfn}]");
    }

    [Test]
    public void PaeTablesHaveFourPresentL3EntriesSupervisorLeavesAndReadOnlyTables()
    {
        using var r = new Rig();
        Assert.That(r.Build(Pv().Build()).Refused, Is.False);
        var l = r.Boot.Layout;
        MachineMemory mem = r.M.Hv.Memory;
        ulong* l3 = (ulong*)mem.Map(new Maddr(r.Boot.PageTable.Value).Frame);
        for (int i = 0; i < 4; i++)
        {
            Assert.That(l3[i] & 0xFFF, Is.EqualTo(1UL), $"L3[{i}]: present only (RW/U/A/D are reserved in a PDPTE)");
            Assert.That(mem.OwnerOf(new Maddr(l3[i] & ~0xFFFUL).Frame), Is.EqualTo(r.D.Id), $"L3[{i}]'s L2 is the domain's");
        }
        for (int i = 4; i < 512; i++) Assert.That(l3[i], Is.Zero);
        // Leaves: present, writable, accessed, no U (Xen's COMPAT_L1_PROT: the kernel runs in ring 1).
        ulong* l2 = (ulong*)mem.Map(new Maddr(l3[3] & ~0xFFFUL).Frame);
        ulong* l1 = (ulong*)mem.Map(new Maddr(l2[(KernelVa >> 21) & 511] & 0x000F_FFFF_FFFF_F000).Frame);
        Assert.That(l1[(KernelVa >> 12) & 511] & 0xFFF, Is.EqualTo(0x23UL));
        ulong x = 0;
        for (ulong va = l.PtStart; va < l.PtStart + l.PtFrames * 0x1000; va += 0x1000)
            Assert.That(GuestMemory.CopyTo(r.Cpu, va, &x, 8), Is.EqualTo(-Errno.EFAULT), $"page table page {va:x}");
        foreach (ulong va in new[] { l.VStart, KernelVa, l.StartInfoStart, l.PhysmapStart, l.StackEnd - 8, l.VEnd - 8 })
            Assert.That(GuestMemory.CopyTo(r.Cpu, va, &x, 8), Is.Zero, $"{va:x}");
        Assert.That(GuestMemory.CopyFrom(r.Cpu, l.VEnd, &x, 8), Is.EqualTo(-Errno.EFAULT), "nothing is mapped past the boot area");
    }

    [Test]
    public void APaeCr3NeedNotBePageAligned()
    {
        using var r = new Rig();
        Assert.That(r.Build(Pv().Build()).Refused, Is.False);
        // Copy the four L3 entries 32 bytes into a kernel page and point CR3 there.
        MachineMemory mem = r.M.Hv.Memory;
        ulong* l3 = (ulong*)mem.Map(new Maddr(r.Boot.PageTable.Value).Frame);
        Mfn data = r.D.P2m.Lookup(new Gfn(0x102));
        ulong* moved = (ulong*)(mem.Map(data) + 32);
        for (int i = 0; i < 4; i++) moved[i] = l3[i];
        for (int i = 0; i < 4; i++) l3[i] = 0;
        Vcpu v = r.Cpu;
        v.Regs.PageTableBase = data.ToMaddr().Value + 32;
        Assert.That(PvPageWalk.Translate(v, new Gva(KernelVa), false).Value, Is.EqualTo(r.D.P2m.Lookup(new Gfn(0x100)).Value));
    }

    [Test]
    public void HypercallPageHoldsXensRing1Int82Stubs()
    {
        using var r = new Rig();
        Assert.That(r.Build(Pv().Build()).Refused, Is.False);
        Assert.That(r.Boot.HypercallPage, Is.EqualTo((ulong)HypercallVa));
        var page = r.Read(HypercallVa, 4096);
        byte[] Slot(int n) => page.AsSpan(n * 32, 32).ToArray();
        byte[] Stub(int n) => new byte[] { 0xB8, (byte)n, 0, 0, 0, 0xCD, 0x82, 0xC3 };
        Assert.That(Slot(0).AsSpan(0, 8).ToArray(), Is.EqualTo(Stub(0)));
        Assert.That(Slot(18).AsSpan(0, 8).ToArray(), Is.EqualTo(Stub(18)), "console_io");
        Assert.That(Slot(29).AsSpan(0, 8).ToArray(), Is.EqualTo(Stub(29)), "sched_op");
        Assert.That(Slot(18).AsSpan(8).ToArray(), Is.All.EqualTo(0xCC));
        Assert.That(Slot(23).AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x50, 0xB8, 23, 0, 0, 0, 0xCD, 0x82 }), "iret");
        Assert.That(Slot(23).AsSpan(8).ToArray(), Is.All.EqualTo(0xCC));
        Assert.That(r.D.SharedInfo.VcpuSlot(0)[1], Is.EqualTo(1), "upcalls start masked");
    }

    static readonly object[] Refusals =
    {
        new object[] { "elf64 in a pv32 domain", (Action<ElfWriter>)(w => { w.Class = 2; w.Machine = 62; }), LoadError.NotElf32I386 },
        new object[] { "elf32 x86_64", (Action<ElfWriter>)(w => w.Machine = 62), LoadError.NotElf32I386 },
        new object[] { "no PAE note", (Action<ElfWriter>)(w => w.Notes.RemoveAll(n => n.Type == XenElfNote.PaeMode)), LoadError.Pv32NotPae },
        new object[] { "PAE no", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type == XenElfNote.PaeMode); w.Notes.Add(XenString(XenElfNote.PaeMode, "no")); }), LoadError.Pv32NotPae },
        new object[] { "no notes", (Action<ElfWriter>)(w => w.Notes.Clear()), LoadError.NotXenPvImage },
        new object[] { "xen version", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type == XenElfNote.XenVersion); w.Notes.Add(XenString(XenElfNote.XenVersion, "xen-2.0")); }), LoadError.NotXenVersion3 },
        new object[] { "entry outside", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type == XenElfNote.Entry); w.Notes.Add(XenU32(XenElfNote.Entry, VirtBase + 0x10)); }), LoadError.KernelOutOfBounds },
        new object[] { "into the compat Xen area", (Action<ElfWriter>)(w => Rebase(w, 0xF580_0000)), LoadError.OverlapsXenArea },
        new object[] { "up to 4 GiB", (Action<ElfWriter>)(w => Rebase(w, 0xFFC0_0000)), LoadError.OverlapsXenArea },
        new object[] { "hypercall page outside kernel", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type == XenElfNote.HypercallPage); w.Notes.Add(XenU32(XenElfNote.HypercallPage, VirtBase)); }), LoadError.BadHypercallPage },
        new object[] { "hypercall page unaligned", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type == XenElfNote.HypercallPage); w.Notes.Add(XenU32(XenElfNote.HypercallPage, HypercallVa + 0x20)); }), LoadError.BadHypercallPage },
        new object[] { "not dom0 capable", (Action<ElfWriter>)(w => w.Notes.Add(XenU32(XenElfNote.SupportedFeatures, 0))), LoadError.NotDom0Capable },
        new object[] { "huge bss", (Action<ElfWriter>)(w => w.Segments[1].MemSize = 1UL << 28), LoadError.TooBigForMemory },
    };

    static void Rebase(ElfWriter w, uint virtBase)
    {
        w.Notes.RemoveAll(n => n.Type is XenElfNote.VirtBase or XenElfNote.Entry or XenElfNote.HypercallPage);
        w.Notes.Add(XenU32(XenElfNote.VirtBase, virtBase));
        w.Notes.Add(XenU32(XenElfNote.Entry, virtBase + PhysEntry));
    }

    [TestCaseSource(nameof(Refusals))]
    public void HostileOrWrongImagesAreRefusedAndMemoryIsUntouched(string what, Action<ElfWriter> spoil, LoadError expected)
    {
        using var r = new Rig();
        var w = Pv();
        spoil(w);
        byte[] before = LoaderRig.Snapshot(r.M, r.D);
        var rc = r.Build(w.Build());
        Assert.That(rc.Code, Is.EqualTo(expected), $"{what}: {rc.Message}");
        Assert.That(LoaderRig.Snapshot(r.M, r.D), Is.EqualTo(before), "a refusal writes nothing");
    }

    [Test]
    public void AnAreaEndingExactlyAtTheCompatXenStartIsAccepted()
    {
        using var r = new Rig();
        var w = Pv();
        Rebase(w, 0xF560_0000);
        var rc = r.Build(w.Build());
        Assert.That(rc.Refused, Is.False, rc.Message);
        Assert.That(r.Boot.Layout.VEnd, Is.EqualTo(0xF580_0000UL), "Xen refuses only v_end > HYPERVISOR_COMPAT_VIRT_START");
    }

    [Test]
    public void TheRefusalsReadWell()
    {
        using var r = new Rig();
        var w = Pv();
        w.Notes.RemoveAll(n => n.Type == XenElfNote.PaeMode);
        Assert.That(r.Build(w.Build()).Message, Does.Contain("32-bit PV kernels must be PAE"));
        Assert.That(r.Build(Pv64BuilderTests.Pv().Build()).Message, Is.EqualTo("a 32-bit PV domain needs an ELF32 i386 kernel"));
    }
}

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

/// <summary>The 64-bit PV domain builder: Xen's dom0_construct_pv layout, checked through GuestMemory's PV walker.</summary>
[Category("loader")]
[Category("pv64")]
public unsafe class Pv64BuilderTests
{
    public const ulong VirtBase = 0xFFFF_FFFF_8000_0000;
    public const ulong KernelVa = VirtBase + PhysBase;
    public const ulong EntryVa = KernelVa + 0x40;
    public const ulong HypercallVa = KernelVa + 0x1000;
    const ulong Pages = 1024; // 4 MiB

    /// <summary>A PV64 kernel: text (with the hypercall page) at p_paddr 1 MiB, data with bss; Linux-style notes.</summary>
    public static ElfWriter Pv()
    {
        var w = new ElfWriter { Class = 2, Machine = 62, Entry = EntryVa };
        w.Segments.Add(new Segment { PAddr = PhysBase, VAddr = KernelVa, Data = Pattern(TextSize, 1), MemSize = TextSize });
        w.Segments.Add(new Segment { Flags = 6, PAddr = DataBase, VAddr = VirtBase + DataBase, Data = Pattern(DataFileSize, 7), MemSize = DataMemSize });
        w.Notes.Add(XenString(XenElfNote.GuestOs, "tiny"));
        w.Notes.Add(XenString(XenElfNote.XenVersion, "xen-3.0"));
        w.Notes.Add(XenString(XenElfNote.Loader, "generic"));
        w.Notes.Add(XenU64(XenElfNote.VirtBase, VirtBase));
        w.Notes.Add(XenU64(XenElfNote.PaddrOffset, 0));
        w.Notes.Add(XenU64(XenElfNote.Entry, EntryVa));
        w.Notes.Add(XenU64(XenElfNote.HypercallPage, HypercallVa));
        return w;
    }

    sealed class Rig : IDisposable
    {
        public readonly TestMachine M = new(ramPages: 4096);
        public readonly Domain D;
        public PvBoot Boot;

        public Rig(ulong pages = Pages, bool privileged = true)
        {
            D = M.Hv.CreateDomain(new DomainConfig { Id = 0, Mode = GuestMode.Pv64, Vcpus = 1, Pages = pages, Privileged = privileged })
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
                    return Pv64Builder.Build(D, g.Pointer, (ulong)image.Length, c, cmd == null ? 0 : (ulong)cmd.Length - 1,
                        initrd != null ? &mod : null, out Boot);
            }
            finally
            {
                if (ih.IsAllocated) ih.Free();
            }
        }

        /// <summary>vCPU 0 set up as the guest starts: its CR3 is the bootstrap L4.</summary>
        public Vcpu Cpu
        {
            get
            {
                Vcpu v = D.Vcpus[0];
                v.Mode = GuestMode.Pv64;
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
    public void KernelIsLoadedAtVirtBasePlusPaddrAndReadableThroughItsOwnPageTables()
    {
        using var r = new Rig();
        var w = Pv();
        var rc = r.Build(w.Build());
        Assert.That(rc.Refused, Is.False, rc.Message);
        Assert.That(r.Boot.Entry, Is.EqualTo(EntryVa));
        Assert.That(r.Boot.Layout.KernStart, Is.EqualTo(KernelVa));
        Assert.That(r.Boot.Layout.KernEnd, Is.EqualTo(VirtBase + DataBase + DataMemSize));
        Assert.That(r.Read(KernelVa, 0x800), Is.EqualTo(w.Segments[0].Data.AsSpan(0, 0x800).ToArray()));
        Assert.That(r.Read(VirtBase + DataBase, (int)DataFileSize), Is.EqualTo(w.Segments[1].Data));
        Assert.That(r.Read(VirtBase + DataBase + DataFileSize, (int)(DataMemSize - DataFileSize)), Is.All.EqualTo(0), "bss");
        // Pseudo-physical frame n is mapped at VIRT_BASE + n pages: the kernel sits at pfn 0x100.
        Mfn frame = PvPageWalk.Translate(r.Cpu, new Gva(KernelVa), false);
        Assert.That(frame.Value, Is.EqualTo(r.D.P2m.Lookup(new Gfn(0x100)).Value));
    }

    [Test]
    public void LayoutFollowsXensOrderAndLeavesHalfAMegabyteAfterTheStack()
    {
        using var r = new Rig();
        Assert.That(r.Build(Pv().Build(), initrd: new byte[5000]).Refused, Is.False);
        var l = r.Boot.Layout;
        ulong kernelPagesEnd = (l.KernEnd + 0xFFF) & ~0xFFFUL;
        Assert.That(l.VStart, Is.EqualTo(VirtBase));
        Assert.That(l.InitrdStart, Is.EqualTo(kernelPagesEnd));
        Assert.That(l.PhysmapStart, Is.EqualTo(l.InitrdStart + 0x2000), "initrd rounded up to pages");
        Assert.That(l.StartInfoStart, Is.EqualTo(l.PhysmapStart + ((Pages * 8 + 0xFFF) & ~0xFFFUL)));
        Assert.That(l.PtStart, Is.EqualTo(l.StartInfoStart + 0x1000));
        Assert.That(l.PtFrames, Is.EqualTo(5UL), "L4, L3, L2 and two L1s for a 4 MiB area");
        Assert.That(l.VEnd - l.VStart, Is.EqualTo(4UL << 20));
        Assert.That(l.StackEnd, Is.EqualTo(l.PtStart + (l.PtFrames + 1) * 0x1000));
        Assert.That(r.Boot.StackTop, Is.EqualTo(l.StackEnd));
        Assert.That(l.VEnd % (4UL << 20), Is.Zero);
        Assert.That(l.VEnd - l.StackEnd, Is.GreaterThanOrEqualTo(512UL << 10));
        Assert.That(r.Boot.StartInfo, Is.EqualTo(l.StartInfoStart));
        Assert.That(r.Boot.PageTable.Value, Is.EqualTo(r.D.P2m.Lookup(new Gfn(l.PfnOf(l.PtStart))).ToMaddr().Value), "cr3 is the L4 at pt_base");
    }

    [Test]
    public void StartInfoHasTheDom0FieldsXenFillsIn()
    {
        using var r = new Rig();
        var initrd = Pattern(5000, 3);
        Assert.That(r.Build(Pv().Build(), "console=hvc0 root=/dev/ram0", initrd).Refused, Is.False);
        var si = r.ReadStruct<StartInfoX86_64>(r.Boot.StartInfo);
        var l = r.Boot.Layout;
        Assert.That(Encoding.ASCII.GetString(new ReadOnlySpan<byte>(si.Magic, 32)).TrimEnd('\0'), Is.EqualTo("xen-3.0-x86_64"));
        Assert.That(si.NrPages, Is.EqualTo(Pages));
        Assert.That(si.SharedInfo, Is.EqualTo(r.D.SharedInfo.Frame.ToMaddr().Value));
        Assert.That(si.Flags, Is.EqualTo(StartInfoFlags.Privileged | StartInfoFlags.InitDomain));
        Assert.That(si.PtBase, Is.EqualTo(l.PtStart));
        Assert.That(si.NrPtFrames, Is.EqualTo(l.PtFrames));
        Assert.That(si.MfnList, Is.EqualTo(l.PhysmapStart));
        Assert.That(si.ModStart, Is.EqualTo(l.InitrdStart));
        Assert.That(si.ModLen, Is.EqualTo(5000UL));
        Assert.That(si.StoreMfn, Is.Zero);
        Assert.That(Encoding.ASCII.GetString(new ReadOnlySpan<byte>(si.CmdLine, 1024)).TrimEnd('\0'), Is.EqualTo("console=hvc0 root=/dev/ram0"));
        Assert.That(r.Read(si.ModStart, 5000), Is.EqualTo(initrd));
        // The phys-to-machine list names every frame of the domain, in p2m order.
        var list = r.Read(si.MfnList, (int)Pages * 8);
        for (ulong pfn = 0; pfn < Pages; pfn++)
            Assert.That(BitConverter.ToUInt64(list, (int)pfn * 8), Is.EqualTo(r.D.P2m.Lookup(new Gfn(pfn)).Value), $"mfn_list[{pfn}]");
    }

    [Test]
    public void UnprivilegedDomainGetsNoFlagsAndNoModule()
    {
        using var r = new Rig(privileged: false);
        Assert.That(r.Build(Pv().Build(), null).Refused, Is.False);
        var si = r.ReadStruct<StartInfoX86_64>(r.Boot.StartInfo);
        Assert.That(si.Flags, Is.Zero);
        Assert.That((si.ModStart, si.ModLen), Is.EqualTo((0UL, 0UL)));
        Assert.That(si.CmdLine[0], Is.Zero);
    }

    [Test]
    public void LongCommandLineIsCutToMaxGuestCmdline()
    {
        using var r = new Rig();
        Assert.That(r.Build(Pv().Build(), new string('x', 3000)).Refused, Is.False);
        var si = r.ReadStruct<StartInfoX86_64>(r.Boot.StartInfo);
        Assert.That(si.CmdLine[1022], Is.EqualTo((byte)'x'));
        Assert.That(si.CmdLine[1023], Is.Zero);
    }

    [Test]
    public void PageTablesAreMappedReadOnlyEverythingElseWritable()
    {
        using var r = new Rig();
        Assert.That(r.Build(Pv().Build()).Refused, Is.False);
        var l = r.Boot.Layout;
        ulong x = 0;
        for (ulong va = l.PtStart; va < l.PtStart + l.PtFrames * 0x1000; va += 0x1000)
            Assert.That(GuestMemory.CopyTo(r.Cpu, va, &x, 8), Is.EqualTo(-Errno.EFAULT), $"page table page {va:x}");
        foreach (ulong va in new[] { l.VStart, KernelVa, l.StartInfoStart, l.PhysmapStart, l.StackEnd - 8, l.VEnd - 8 })
            Assert.That(GuestMemory.CopyTo(r.Cpu, va, &x, 8), Is.Zero, $"{va:x}");
        Assert.That(GuestMemory.CopyFrom(r.Cpu, l.VEnd, &x, 8), Is.EqualTo(-Errno.EFAULT), "nothing is mapped past the boot area");
        // Every table frame is the domain's own and sits in the p2m (the walker checked owners).
        ulong* l4 = (ulong*)r.M.Hv.Memory.Map(new Maddr(r.Boot.PageTable.Value).Frame);
        Assert.That(l4[(VirtBase >> 39) & 511] & 1, Is.EqualTo(1UL));
        Assert.That(r.M.Hv.Memory.OwnerOf(new Maddr(r.Boot.PageTable.Value).Frame), Is.EqualTo(r.D.Id));
    }

    [Test]
    public void HypercallPageHoldsXensPv64SyscallStubs()
    {
        using var r = new Rig();
        Assert.That(r.Build(Pv().Build()).Refused, Is.False);
        Assert.That(r.Boot.HypercallPage, Is.EqualTo(HypercallVa));
        var page = r.Read(HypercallVa, 4096);
        byte[] Slot(int n) => page.AsSpan(n * 32, 32).ToArray();
        byte[] Stub(int n) => new byte[] { 0x51, 0x41, 0x53, 0xB8, (byte)n, 0, 0, 0, 0x0F, 0x05, 0x41, 0x5B, 0x59, 0xC3 };
        Assert.That(Slot(0).AsSpan(0, 14).ToArray(), Is.EqualTo(Stub(0)));
        Assert.That(Slot(18).AsSpan(0, 14).ToArray(), Is.EqualTo(Stub(18)), "console_io");
        Assert.That(Slot(37).AsSpan(0, 14).ToArray(), Is.EqualTo(Stub(37)), "kexec_op");
        Assert.That(Slot(18).AsSpan(14).ToArray(), Is.All.EqualTo(0xCC));
        Assert.That(Slot(23).AsSpan(0, 11).ToArray(), Is.EqualTo(new byte[] { 0x51, 0x41, 0x53, 0x50, 0xB8, 23, 0, 0, 0, 0x0F, 0x05 }), "iret");
        Assert.That(Slot(23).AsSpan(11).ToArray(), Is.All.EqualTo(0xCC));
    }

    [Test]
    public void UpcallsStartMasked()
    {
        using var r = new Rig();
        Assert.That(r.Build(Pv().Build()).Refused, Is.False);
        Assert.That(r.D.SharedInfo.VcpuSlot(0)[1], Is.EqualTo(1), "vcpu_info[0].evtchn_upcall_mask");
    }

    [Test]
    public void WithoutPaddrOffsetOrVirtBaseNotesTheDefaultsAreZero()
    {
        using var r = new Rig();
        var w = Pv();
        w.Notes.RemoveAll(n => n.Type == XenElfNote.VirtBase || n.Type == XenElfNote.PaddrOffset);
        w.Notes.RemoveAll(n => n.Type == XenElfNote.Entry || n.Type == XenElfNote.HypercallPage);
        w.Entry = PhysEntry;
        var rc = r.Build(w.Build());
        Assert.That(rc.Refused, Is.False, rc.Message);
        Assert.That(r.Boot.Layout.VStart, Is.Zero);
        Assert.That(r.Boot.Entry, Is.EqualTo((ulong)PhysEntry), "e_entry without an ENTRY note");
        Assert.That(r.Boot.HypercallPage, Is.Zero);
    }

    static readonly object[] Refusals =
    {
        new object[] { "no notes", (Action<ElfWriter>)(w => w.Notes.Clear()), LoadError.NotXenPvImage },
        new object[] { "loader", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type == XenElfNote.Loader); }), LoadError.NotGenericLoader },
        new object[] { "xen version", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type == XenElfNote.XenVersion); w.Notes.Add(XenString(XenElfNote.XenVersion, "xen-2.0")); }), LoadError.NotXenVersion3 },
        new object[] { "paddr offset alone", (Action<ElfWriter>)(w => w.Notes.RemoveAll(n => n.Type == XenElfNote.VirtBase)), LoadError.PaddrOffsetWithoutVirtBase },
        new object[] { "entry outside", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type == XenElfNote.Entry); w.Notes.Add(XenU64(XenElfNote.Entry, VirtBase + 0x10)); }), LoadError.KernelOutOfBounds },
        new object[] { "virt base above kernel", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type is XenElfNote.VirtBase or XenElfNote.PaddrOffset); w.Notes.Add(XenU64(XenElfNote.VirtBase, VirtBase)); w.Notes.Add(XenU64(XenElfNote.PaddrOffset, VirtBase - 0x200000)); }), LoadError.KernelOutOfBounds },
        new object[] { "elf32", (Action<ElfWriter>)(w => { w.Class = 1; w.Machine = 3; w.Entry = PhysEntry; }), LoadError.NotElf64X86_64 },
        new object[] { "unaligned virt base", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type is XenElfNote.VirtBase or XenElfNote.PaddrOffset); w.Notes.Add(XenU64(XenElfNote.VirtBase, VirtBase + 8)); w.Notes.Add(XenU64(XenElfNote.PaddrOffset, 8)); }), LoadError.VirtBaseNotAligned },
        new object[] { "xen area", (Action<ElfWriter>)(w => Rebase(w, 0xFFFF_8000_0000_0000)), LoadError.OverlapsXenArea },
        new object[] { "non-canonical", (Action<ElfWriter>)(w => Rebase(w, 0x0000_8000_0000_0000)), LoadError.OverlapsXenArea },
        new object[] { "hypercall page outside kernel", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type == XenElfNote.HypercallPage); w.Notes.Add(XenU64(XenElfNote.HypercallPage, VirtBase)); }), LoadError.BadHypercallPage },
        new object[] { "hypercall page unaligned", (Action<ElfWriter>)(w => { w.Notes.RemoveAll(n => n.Type == XenElfNote.HypercallPage); w.Notes.Add(XenU64(XenElfNote.HypercallPage, HypercallVa + 0x20)); }), LoadError.BadHypercallPage },
        new object[] { "not dom0 capable", (Action<ElfWriter>)(w => w.Notes.Add(XenU32(XenElfNote.SupportedFeatures, 0))), LoadError.NotDom0Capable },
        new object[] { "bss wrapping the address space", (Action<ElfWriter>)(w => w.Segments[1].MemSize = 1UL << 40), LoadError.KernelOutOfBounds },
        new object[] { "huge bss", (Action<ElfWriter>)(w => w.Segments[1].MemSize = 1UL << 28), LoadError.TooBigForMemory },
    };

    static void Rebase(ElfWriter w, ulong virtBase)
    {
        w.Notes.RemoveAll(n => n.Type is XenElfNote.VirtBase or XenElfNote.Entry or XenElfNote.HypercallPage);
        w.Notes.Add(XenU64(XenElfNote.VirtBase, virtBase));
        w.Notes.Add(XenU64(XenElfNote.Entry, virtBase + PhysEntry));
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
    public void KernelBiggerThanTheDomainIsRefused()
    {
        using var r = new Rig(pages: 256 + 8); // 1 MiB + a little: the 4 MiB-aligned boot area cannot fit
        Assert.That(r.Build(Pv().Build()).Code, Is.EqualTo(LoadError.TooBigForMemory));
    }

    [Test]
    public void BootRuleTakesPvOnlyWithoutPhys32Entry()
    {
        fixed (byte* p = Pv().Build())
        {
            Assert.That(ElfImage.Parse(p, (ulong)Pv().Build().Length, ElfTarget.X86, out var elf).Refused, Is.False);
            Assert.That(PvBuilder.IsPvKernel(in elf), Is.True);
        }
        var both = Pv();
        both.Notes.Add(XenU32(XenElfNote.Phys32Entry, PhysEntry));
        var bytes = both.Build();
        fixed (byte* p = bytes)
        {
            Assert.That(ElfImage.Parse(p, (ulong)bytes.Length, ElfTarget.X86, out var elf).Refused, Is.False);
            Assert.That(PvBuilder.IsPvKernel(in elf), Is.False, "a PHYS32_ENTRY note makes it PVH");
        }
    }
}

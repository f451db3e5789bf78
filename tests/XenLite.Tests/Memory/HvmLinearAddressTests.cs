using System;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Arch.X86;

namespace XenLite.Tests.Memory;

/// <summary>
/// Hypercall buffers of HVM/PVH vCPUs are guest-virtual (Xen's hvm_copy_*_guest_linear): page
/// tables built in a simulated guest's RAM, the mode in its VMCB, copies through GuestMemory.
/// </summary>
[Category("guest_memory")]
[Category("svm")]
public unsafe class HvmLinearAddressTests
{
    const ulong P = 1, RW = 2, US = 4, PS = 0x80, A = 0x20, D = 0x40;
    const ulong Nx = 1UL << 63;
    // Table frames (guest-physical) and the data pages they map.
    const ulong Top = 0x10000, L3 = 0x11000, L2 = 0x12000, L1 = 0x13000;
    const ulong DataA = 0x20000, DataB = 0x31000;
    const ulong KernelVa = 0xFFFF_8000_0040_0000;

    sealed class Rig : IDisposable
    {
        public readonly SvmBed Bed = new();
        public readonly Domain D;
        public readonly Vcpu V;
        public Rig()
        {
            D = Bed.NewPvh(pages: 256);   // 1 MiB of RAM at guest-physical 0
            V = D.Vcpus[0];
        }
        public void Dispose() => Bed.Dispose();
        public Vmcb* Vmcb => V.X86.Vmcb;
        public void Set(ulong gpa, ulong entry) => Bed.M.PokeStruct(D, gpa, entry);
        public void Set32(ulong gpa, uint entry) => Bed.M.PokeStruct(D, gpa, entry);
        public ulong Get(ulong gpa) => Bed.M.PeekStruct<ulong>(D, gpa);
        public byte[] Peek(ulong gpa, int n) => Bed.M.Peek(D, gpa, n);

        /// <summary>Long mode with 4-level tables at <see cref="Top"/> (CR0.WP set, EFER.NXE set).</summary>
        public void LongMode()
        {
            Vmcb->Cr0 = X86Bits.Cr0Pe | X86Bits.Cr0Wp | X86Bits.Cr0Pg;
            Vmcb->Cr4 = X86Bits.Cr4Pae;
            Vmcb->Efer = X86Bits.EferLme | X86Bits.EferLma | X86Bits.EferNxe;
            Vmcb->Cr3 = Top;
            Vmcb->Cs.Attrib = 0xA9B;
        }

        /// <summary>Maps one 4 KiB page at <paramref name="va"/> through Top → L3 → L2 → L1.</summary>
        public void Map4K(ulong va, ulong gpa, ulong flags = P | RW)
        {
            Set(Top + ((va >> 39) & 511) * 8, L3 | P | RW);
            Set(L3 + ((va >> 30) & 511) * 8, L2 | P | RW);
            Set(L2 + ((va >> 21) & 511) * 8, L1 | P | RW);
            Set(L1 + ((va >> 12) & 511) * 8, gpa | flags);
        }

        public int CopyTo(ulong va, byte[] data)
        {
            fixed (byte* p = data) return GuestMemory.CopyTo(V, va, p, (ulong)data.Length);
        }

        public int CopyFrom(ulong va, byte[] into)
        {
            fixed (byte* p = into) return GuestMemory.CopyFrom(V, va, p, (ulong)into.Length);
        }
    }

    static byte[] Bytes(int n, byte first = 1)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(first + i);
        return b;
    }

    [Test]
    public void PagingOffAddressesAreGuestPhysical()
    {
        using var r = new Rig();
        Assert.That(r.Vmcb->Cr0 & X86Bits.Cr0Pg, Is.Zero, "a PVH vCPU starts with paging off");
        Assert.That(r.CopyTo(0x5FFC, Bytes(8)), Is.EqualTo(0));
        Assert.That(r.Peek(0x5FFC, 8), Is.EqualTo(Bytes(8)));
    }

    [Test]
    public void FourLevelTablesTranslateEachPageOfABufferOnItsOwn()
    {
        using var r = new Rig();
        r.LongMode();
        r.Map4K(KernelVa, DataA);
        r.Map4K(KernelVa + 0x1000, DataB);   // the next virtual page is not the next physical one
        Assert.That(r.CopyTo(KernelVa + 0xFF8, Bytes(16)), Is.EqualTo(0));
        Assert.That(r.Peek(DataA + 0xFF8, 8), Is.EqualTo(Bytes(16)[..8]));
        Assert.That(r.Peek(DataB, 8), Is.EqualTo(Bytes(16)[8..]));
        Assert.That(r.Peek(DataA + 0x1000, 8), Is.EqualTo(new byte[8]), "nothing at the physically following page");
        var back = new byte[16];
        Assert.That(r.CopyFrom(KernelVa + 0xFF8, back), Is.EqualTo(0));
        Assert.That(back, Is.EqualTo(Bytes(16)));
    }

    [Test]
    public void LongModeLargePages()
    {
        using var r = new Rig();
        r.LongMode();
        const ulong va2M = 0x0000_0040_0020_0000, va1G = 0x0000_0080_4000_0000;
        r.Set(Top + ((va2M >> 39) & 511) * 8, L3 | P | RW);
        r.Set(L3 + ((va2M >> 30) & 511) * 8, L2 | P | RW);
        r.Set(L2 + ((va2M >> 21) & 511) * 8, 0 | PS | P | RW);          // 2 MiB page at guest-physical 0
        r.Set(Top + ((va1G >> 39) & 511) * 8, 0x14000 | P | RW);
        r.Set(0x14000 + ((va1G >> 30) & 511) * 8, 0 | PS | P | RW);     // 1 GiB page at guest-physical 0
        Assert.That(r.CopyTo(va2M + 0x25123, Bytes(4)), Is.EqualTo(0));
        Assert.That(r.Peek(0x25123, 4), Is.EqualTo(Bytes(4)));
        Assert.That(r.CopyTo(va1G + 0x41234, Bytes(4, 9)), Is.EqualTo(0));
        Assert.That(r.Peek(0x41234, 4), Is.EqualTo(Bytes(4, 9)));

        // Superpage alignment bits are reserved; a CPU without 1 GiB pages reserves L3 PS.
        r.Set(L2 + ((va2M >> 21) & 511) * 8, 0x2000 | PS | P | RW);
        Assert.That(r.CopyTo(va2M, Bytes(4)), Is.EqualTo(-Errno.EFAULT));
        r.Bed.Hv.Paging = new HvmPageWalk(40, page1Gb: false, pse36: true);
        Assert.That(r.CopyTo(va1G, Bytes(4)), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void NonCanonicalAndReservedBitsFault()
    {
        using var r = new Rig();
        r.LongMode();
        r.Map4K(KernelVa, DataA);
        Assert.That(r.CopyTo(0x0000_8000_0040_0000, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "non-canonical alias of the mapped page");
        r.Set(L1 + ((KernelVa >> 12) & 511) * 8, DataA | Nx | P | RW);
        Assert.That(r.CopyTo(KernelVa, Bytes(4)), Is.EqualTo(0), "NX is allowed with EFER.NXE");
        r.Vmcb->Efer &= ~X86Bits.EferNxe;
        Assert.That(r.CopyTo(KernelVa, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "NX is reserved without EFER.NXE");
        r.Vmcb->Efer |= X86Bits.EferNxe;
        r.Set(Top + ((KernelVa >> 39) & 511) * 8, L3 | PS | P | RW);
        Assert.That(r.CopyTo(KernelVa, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "PS is reserved in an L4 entry");
        r.Set(Top + ((KernelVa >> 39) & 511) * 8, L3 | (1UL << 45) | P | RW);
        Assert.That(r.CopyTo(KernelVa, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "an address bit above the 36-bit physical width");
    }

    [Test]
    public void ACopyIntoAnUnmappedPageFaultsAfterFillingTheMappedOne()
    {
        using var r = new Rig();
        r.LongMode();
        r.Map4K(KernelVa, DataA);
        r.Bed.M.Poke(r.D, DataA + 0x1000, new byte[] { 0xEE, 0xEE });
        Assert.That(r.CopyTo(KernelVa + 0xFFC, Bytes(8)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(r.Peek(DataA + 0xFFC, 4), Is.EqualTo(Bytes(4)), "Xen copies page by page: the mapped page got its part");
        Assert.That(r.Peek(DataA + 0x1000, 2), Is.EqualTo(new byte[] { 0xEE, 0xEE }), "nothing written past it");
    }

    [Test]
    public void ReadOnlyPagesRefuseWritesOnlyWithCr0Wp()
    {
        using var r = new Rig();
        r.LongMode();
        r.Map4K(KernelVa, DataA, P);
        Assert.That(r.CopyFrom(KernelVa, new byte[4]), Is.EqualTo(0), "reads are fine");
        Assert.That(r.CopyTo(KernelVa, Bytes(4)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(GuestMemory.Clear(r.V, KernelVa, 4), Is.EqualTo(-Errno.EFAULT));
        r.Vmcb->Cr0 &= ~X86Bits.Cr0Wp;
        Assert.That(r.CopyTo(KernelVa, Bytes(4)), Is.EqualTo(0), "a supervisor write ignores R/W without CR0.WP");
        Assert.That(r.Peek(DataA, 4), Is.EqualTo(Bytes(4)));
    }

    [Test]
    public void UserPagesFaultOnlyUnderSmapWithoutAc()
    {
        using var r = new Rig();
        r.LongMode();
        ulong userVa = 0x0000_7FFF_0000_0000;
        r.Map4K(userVa, DataA, P | RW | US);
        r.Set(Top + ((userVa >> 39) & 511) * 8, L3 | P | RW | US);
        r.Set(L3 + ((userVa >> 30) & 511) * 8, L2 | P | RW | US);
        r.Set(L2 + ((userVa >> 21) & 511) * 8, L1 | P | RW | US);
        Assert.That(r.CopyTo(userVa, Bytes(4)), Is.EqualTo(0), "no SMAP");
        r.Vmcb->Cr4 |= X86Bits.Cr4Smap;
        Assert.That(r.CopyTo(userVa, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "SMAP, RFLAGS.AC clear");
        r.V.Regs.Flags |= X86Bits.RflagsAc;
        Assert.That(r.CopyTo(userVa, Bytes(4)), Is.EqualTo(0), "SMAP, RFLAGS.AC set (stac)");
    }

    [Test]
    public void ATableOutsideTheP2mFaults()
    {
        using var r = new Rig();
        r.LongMode();
        r.Map4K(KernelVa, DataA);
        r.Set(L3 + ((KernelVa >> 30) & 511) * 8, 0x0800_0000 | P | RW);   // 128 MiB: beyond the domain's RAM
        Assert.That(r.CopyFrom(KernelVa, new byte[4]), Is.EqualTo(-Errno.EFAULT));
        r.Vmcb->Cr3 = 0x0900_0000;
        Assert.That(r.CopyFrom(KernelVa, new byte[4]), Is.EqualTo(-Errno.EFAULT), "CR3 itself outside the p2m");
    }

    [Test]
    public void AccessedAndDirtyBitsAreSetByASuccessfulWalk()
    {
        using var r = new Rig();
        r.LongMode();
        r.Map4K(KernelVa, DataA);
        Assert.That(r.CopyFrom(KernelVa, new byte[4]), Is.EqualTo(0));
        Assert.That(r.Get(L1 + ((KernelVa >> 12) & 511) * 8) & (A | D), Is.EqualTo(A), "a read: Accessed only");
        Assert.That(r.CopyTo(KernelVa, Bytes(4)), Is.EqualTo(0));
        Assert.That(r.Get(L1 + ((KernelVa >> 12) & 511) * 8) & (A | D), Is.EqualTo(A | D));
        Assert.That(r.Get(L2 + ((KernelVa >> 21) & 511) * 8) & (A | D), Is.EqualTo(A), "Dirty only on the leaf");
        Assert.That(r.Get(Top + ((KernelVa >> 39) & 511) * 8) & A, Is.EqualTo(A));
    }

    [Test]
    public void PaeTablesWithSmallAndLargePages()
    {
        using var r = new Rig();
        r.Vmcb->Cr0 = X86Bits.Cr0Pe | X86Bits.Cr0Wp | X86Bits.Cr0Pg;
        r.Vmcb->Cr4 = X86Bits.Cr4Pae;
        r.Vmcb->Efer = 0;
        r.Vmcb->Cr3 = Top + 0x20;                 // the PDPT is 32-byte aligned, not page aligned
        const ulong va4K = 0xC010_3000, va2M = 0xC060_0000;
        r.Set(Top + 0x20 + 3 * 8, L2 | P);        // PDPTE 3 (0xC0000000–): no R/W or U/S in a PDPTE
        r.Set(L2 + ((va4K >> 21) & 511) * 8, L1 | P | RW);
        r.Set(L1 + ((va4K >> 12) & 511) * 8, DataB | P | RW);
        r.Set(L2 + ((va2M >> 21) & 511) * 8, 0 | PS | P | RW);
        Assert.That(r.CopyTo(va4K + 0x10, Bytes(4)), Is.EqualTo(0));
        Assert.That(r.Peek(DataB + 0x10, 4), Is.EqualTo(Bytes(4)));
        Assert.That(r.CopyTo(va2M + 0x7654, Bytes(4, 40)), Is.EqualTo(0));
        Assert.That(r.Peek(0x7654, 4), Is.EqualTo(Bytes(4, 40)));

        r.Set(Top + 0x20 + 3 * 8, L2 | RW | P);
        Assert.That(r.CopyTo(va4K, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "R/W is reserved in a PDPTE");
        r.Set(Top + 0x20 + 3 * 8, L2 | P);
        r.Set(L1 + ((va4K >> 12) & 511) * 8, DataB | (1UL << 55) | P | RW);
        Assert.That(r.CopyTo(va4K, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "bits 52-62 are reserved with PAE");
    }

    [Test]
    public void TwoLevelTablesWithPse4MPages()
    {
        using var r = new Rig();
        r.Vmcb->Cr0 = X86Bits.Cr0Pe | X86Bits.Cr0Wp | X86Bits.Cr0Pg;
        r.Vmcb->Cr4 = X86Bits.Cr4Pse;
        r.Vmcb->Efer = 0;
        r.Vmcb->Cr3 = Top;
        const uint va4K = 0x8000_5000, va4M = 0xC040_0000;
        r.Set32(Top + (va4K >> 22) * 4, (uint)L1 | (uint)(P | RW));
        r.Set32(L1 + ((va4K >> 12) & 1023) * 4, (uint)DataA | (uint)(P | RW));
        r.Set32(Top + (va4M >> 22) * 4, (uint)(PS | P | RW));               // 4 MiB page at guest-physical 0
        Assert.That(r.CopyTo(va4K + 0x100, Bytes(4)), Is.EqualTo(0));
        Assert.That(r.Peek(DataA + 0x100, 4), Is.EqualTo(Bytes(4)));
        Assert.That(r.CopyTo(va4M + 0x3_2100, Bytes(4, 60)), Is.EqualTo(0));
        Assert.That(r.Peek(0x3_2100, 4), Is.EqualTo(Bytes(4, 60)));

        // Without CR4.PSE the PS bit is ignored: the entry names an L1 table (frame 0, all zero here).
        r.Vmcb->Cr4 = 0;
        Assert.That(r.CopyTo(va4M, Bytes(4)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(r.CopyTo(0x1_0000_0000, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "beyond a 32-bit linear space");
    }

    [Test]
    public void XenVersionExtraversionLandsInThePhysicalPageTheVirtualBufferMapsTo()
    {
        using var r = new Rig();
        r.LongMode();
        r.Map4K(KernelVa, DataB);
        r.V.Regs.Ip = 0xFFFF_FFFF_8100_0000;
        r.V.Regs[X86Reg.Rax] = HypercallNumber.XenVersion;
        r.V.Regs[X86Reg.Rdi] = XenVer.Extraversion;
        r.V.Regs[X86Reg.Rsi] = KernelVa + 0x80;
        Assert.That(r.Bed.Exit(r.V, SvmExit.Vmmcall), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(r.V.Regs[X86Reg.Rax], Is.EqualTo(0UL));
        string extra = new BuildInfo().ExtraVersion;
        Assert.That(Encoding.ASCII.GetString(r.Peek(DataB + 0x80, extra.Length)), Is.EqualTo(extra));
        Assert.That(r.Peek(KernelVa & 0xF_FFFF, 16), Is.EqualTo(new byte[16]), "the guest-physical alias of the virtual address is untouched");

        r.V.Regs[X86Reg.Rax] = HypercallNumber.XenVersion;
        r.V.Regs[X86Reg.Rdi] = XenVer.Extraversion;
        r.V.Regs[X86Reg.Rsi] = KernelVa + 0x1000;   // not mapped
        r.Bed.Exit(r.V, SvmExit.Vmmcall);
        Assert.That((long)r.V.Regs[X86Reg.Rax], Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void HypercallPageMsrStaysGuestPhysicalWithPagingOn()
    {
        using var r = new Rig();
        r.LongMode();
        r.Map4K(KernelVa, DataA);
        Assert.That(HypercallPageWriter.Install(r.V, DataB), Is.True);
        Assert.That(r.Peek(DataB, 1)[0], Is.EqualTo(0xB8), "mov $0,%eax at the guest-physical page");
    }
}

using System;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Arch.Arm64;

namespace XenLite.Tests.Memory;

/// <summary>
/// Hypercall buffers of arm64 vCPUs are guest-virtual (Xen's raw_copy_*_guest through the EL1
/// stage 1): long-descriptor tables built in a simulated guest's RAM, SCTLR/TCR/TTBRn_EL1 in its
/// saved context, copies through GuestMemory.
/// </summary>
[Category("guest_memory")]
[Category("arm64")]
public unsafe class ArmLinearAddressTests
{
    const ulong Valid = 1, Table = 3, Page = 3, Block = 1, Af = 1UL << 10, ApRo = 1UL << 7, ApTableRo = 1UL << 62;
    const ulong Ram = GuestLayout.RamBase;
    const ulong DataA = Ram + 0x62_0000, DataB = Ram + 0x63_1000;
    // TCR_EL1: T0SZ 16 (48-bit, 4 levels), T1SZ 25 (39-bit, 3 levels), TG0 4K, TG1 4K (2), IPS 40-bit.
    const ulong Tcr = 16 | (25UL << 16) | (2UL << 30) | (2UL << 32);
    const ulong Va0 = 0x0000_1234_5678_9000;            // TTBR0
    const ulong Va1 = 0xFFFF_FFC0_1234_5000;            // TTBR1, same bits 12–38 as Low1
    const ulong Low1 = 0x0000_0040_1234_5000;           // TTBR0

    sealed class Rig : IDisposable
    {
        public readonly Arm64Bed Bed = new();
        public readonly Domain D;
        public readonly Vcpu V;
        ulong _nextTable = Ram + 0x60_0000;
        public readonly ulong Root0, Root1;

        public Rig()
        {
            D = Bed.NewDomain();
            V = D.Vcpus[0];
            Root0 = NewTable();
            Root1 = NewTable();
        }

        public void Dispose() => Bed.Dispose();

        public ulong NewTable()
        {
            ulong t = _nextTable;
            _nextTable += 0x1000;
            Bed.M.Poke(D, t, new byte[0x1000]);
            return t;
        }

        public void Set(ulong gpa, ulong e) => Bed.M.PokeStruct(D, gpa, e);
        public ulong Get(ulong gpa) => Bed.M.PeekStruct<ulong>(D, gpa);
        public byte[] Peek(ulong gpa, int n) => Bed.M.Peek(D, gpa, n);

        public void MmuOn(ulong tcr = Tcr)
        {
            Bed.Host.WriteEl1(V, El1Reg.Sctlr, Bed.Host.ReadEl1(V, El1Reg.Sctlr) | 1);
            Bed.Host.WriteEl1(V, El1Reg.Tcr, tcr);
            Bed.Host.WriteEl1(V, El1Reg.Ttbr0, Root0 | (5UL << 48));   // an ASID in the top bits is not an address
            Bed.Host.WriteEl1(V, El1Reg.Ttbr1, Root1);
        }

        /// <summary>
        /// Maps <paramref name="va"/> by a descriptor at <paramref name="leafLevel"/> (3: page, 2: 2 MiB, 1: 1 GiB),
        /// creating tables from the root of the TTBR bit 55 selects; returns the leaf entry's address.
        /// </summary>
        public ulong Map(ulong va, ulong ipa, int leafLevel = 3, ulong attrs = Af, ulong tableAttrs = 0)
        {
            bool upper = ((va >> 55) & 1) != 0;
            ulong table = upper ? Root1 : Root0;
            int level = upper ? 1 : 0;
            for (; level < leafLevel; level++)
            {
                ulong slot = table + ((va >> (12 + 9 * (3 - level))) & 511) * 8;
                ulong e = Get(slot);
                if ((e & Valid) == 0)
                {
                    e = NewTable() | Table;
                }
                e |= tableAttrs;
                Set(slot, e);
                table = e & 0x0000_FFFF_FFFF_F000;
            }
            ulong leaf = table + ((va >> (12 + 9 * (3 - leafLevel))) & 511) * 8;
            Set(leaf, ipa | (leafLevel == 3 ? Page : Block) | attrs);
            return leaf;
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
    public void MmuOffAddressesAreIntermediatePhysical()
    {
        using var r = new Rig();
        Assert.That(r.Bed.Host.ReadEl1(r.V, El1Reg.Sctlr) & 1, Is.Zero, "a guest is entered with its MMU off");
        Assert.That(r.CopyTo(DataA + 0xFFC, Bytes(8)), Is.EqualTo(0));
        Assert.That(r.Peek(DataA + 0xFFC, 8), Is.EqualTo(Bytes(8)));
    }

    [Test]
    public void FourLevelTtbr0TranslatesEachPageOfABufferOnItsOwn()
    {
        using var r = new Rig();
        r.MmuOn();
        r.Map(Va0, DataA);
        r.Map(Va0 + 0x1000, DataB);
        Assert.That(r.CopyTo(Va0 + 0xFF8, Bytes(16)), Is.EqualTo(0));
        Assert.That(r.Peek(DataA + 0xFF8, 8), Is.EqualTo(Bytes(16)[..8]));
        Assert.That(r.Peek(DataB, 8), Is.EqualTo(Bytes(16)[8..]));
        var back = new byte[16];
        Assert.That(r.CopyFrom(Va0 + 0xFF8, back), Is.EqualTo(0));
        Assert.That(back, Is.EqualTo(Bytes(16)));
    }

    [Test]
    public void ThreeLevelTtbr1AndTtbr0AreChosenByTheAddress()
    {
        using var r = new Rig();
        r.MmuOn();
        r.Map(Va1, DataA);    // TTBR1, starting at level 1 (39-bit)
        r.Map(Low1, DataB);   // TTBR0, same index bits below 39
        Assert.That(r.CopyTo(Va1 + 0x10, Bytes(4)), Is.EqualTo(0));
        Assert.That(r.CopyTo(Low1 + 0x10, Bytes(4, 50)), Is.EqualTo(0));
        Assert.That(r.Peek(DataA + 0x10, 4), Is.EqualTo(Bytes(4)));
        Assert.That(r.Peek(DataB + 0x10, 4), Is.EqualTo(Bytes(4, 50)));
        Assert.That(r.CopyTo(0xFFFF_FF00_1234_5000, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "above bit 39 not all ones: outside TTBR1's range");
        Assert.That(r.CopyTo(0x00FF_1234_5678_9000, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "above bit 48 not all zeros");
        r.MmuOn(Tcr | (1UL << 37));   // TBI0: the top byte is a tag
        r.Map(Va0, DataA);
        Assert.That(r.CopyTo(0x5A00_1234_5678_9000, Bytes(4)), Is.EqualTo(0));
    }

    [Test]
    public void BlocksAtLevelsOneAndTwo()
    {
        using var r = new Rig();
        r.MmuOn();
        const ulong va2M = 0x0000_0000_8020_0000, va1G = 0x0000_0001_0000_0000;
        r.Map(va2M, Ram + 0x40_0000, leafLevel: 2);
        r.Map(va1G, Ram, leafLevel: 1);
        Assert.That(r.CopyTo(va2M + 0x1_2345, Bytes(4)), Is.EqualTo(0));
        Assert.That(r.Peek(Ram + 0x41_2345, 4), Is.EqualTo(Bytes(4)));
        Assert.That(r.CopyTo(va1G + 0x70_1234, Bytes(4, 70)), Is.EqualTo(0));
        Assert.That(r.Peek(Ram + 0x70_1234, 4), Is.EqualTo(Bytes(4, 70)));
    }

    [Test]
    public void ReadOnlyMappingsRefuseWrites()
    {
        using var r = new Rig();
        r.MmuOn();
        ulong leaf = r.Map(Va0, DataA, attrs: Af | ApRo);
        Assert.That(r.CopyFrom(Va0, new byte[4]), Is.EqualTo(0));
        Assert.That(r.CopyTo(Va0, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "AP[2]: read-only at EL1");
        r.Set(leaf, DataA | Page | Af | (1UL << 6));   // AP[1]: EL0 may access too; EL1 still writes
        Assert.That(r.CopyTo(Va0, Bytes(4)), Is.EqualTo(0));
        r.Map(Va0, DataA, tableAttrs: ApTableRo);
        Assert.That(r.CopyTo(Va0, Bytes(4)), Is.EqualTo(-Errno.EFAULT), "APTable[1] on the way");
        Assert.That(r.CopyFrom(Va0, new byte[4]), Is.EqualTo(0));
    }

    [Test]
    public void OnlyThe4KGranuleIsSupported()
    {
        using var r = new Rig();
        r.MmuOn();
        r.Map(Va0, DataA);
        r.Map(Va1, DataB);
        Assert.That(r.CopyTo(Va0, Bytes(4)), Is.EqualTo(0));
        r.MmuOn(Tcr | (1UL << 14));    // TG0 = 64 KiB
        Assert.That(r.CopyTo(Va0, Bytes(4)), Is.EqualTo(-Errno.EFAULT));
        r.MmuOn(Tcr | (2UL << 14));    // TG0 = 16 KiB
        Assert.That(r.CopyTo(Va0, Bytes(4)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(r.CopyTo(Va1, Bytes(4)), Is.EqualTo(0), "TTBR1 still has 4 KiB pages");
        r.MmuOn((Tcr & ~(3UL << 30)) | (1UL << 30));   // TG1 = 16 KiB
        Assert.That(r.CopyTo(Va1, Bytes(4)), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void DisabledWalksMissingAccessFlagsAndBadTablesFault()
    {
        using var r = new Rig();
        r.MmuOn();
        ulong leaf = r.Map(Va0, DataA);
        r.MmuOn(Tcr | (1UL << 7));     // EPD0
        Assert.That(r.CopyFrom(Va0, new byte[4]), Is.EqualTo(-Errno.EFAULT));
        r.MmuOn();
        r.Set(leaf, DataA | Page);     // AF clear, no hardware access-flag management
        Assert.That(r.CopyFrom(Va0, new byte[4]), Is.EqualTo(-Errno.EFAULT));
        r.MmuOn(Tcr | (1UL << 39));    // TCR_EL1.HA: the walk sets it
        Assert.That(r.CopyFrom(Va0, new byte[4]), Is.EqualTo(0));
        Assert.That(r.Get(leaf) & Af, Is.EqualTo(Af));
        r.Set(leaf, DataA | Block | Af);   // a block descriptor at level 3 is reserved
        Assert.That(r.CopyFrom(Va0, new byte[4]), Is.EqualTo(-Errno.EFAULT));
        r.Set(leaf, DataA | Page | Af);
        // A table outside the p2m (guest-physical 0x10000000 is no RAM).
        r.Map(Va0, DataA);
        ulong l0 = r.Root0 + ((Va0 >> 39) & 511) * 8;
        r.Set(l0, 0x1000_0000 | Table);
        Assert.That(r.CopyFrom(Va0, new byte[4]), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void ACopyIntoAnUnmappedPageFaultsAfterFillingTheMappedOne()
    {
        using var r = new Rig();
        r.MmuOn();
        r.Map(Va0, DataA);
        r.Bed.M.Poke(r.D, DataA + 0x1000, new byte[] { 0xEE, 0xEE });
        Assert.That(r.CopyTo(Va0 + 0xFFC, Bytes(8)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(r.Peek(DataA + 0xFFC, 4), Is.EqualTo(Bytes(4)));
        Assert.That(r.Peek(DataA + 0x1000, 2), Is.EqualTo(new byte[] { 0xEE, 0xEE }));
    }

    [Test]
    public void XenVersionExtraversionLandsInThePhysicalPageTheVirtualBufferMapsTo()
    {
        using var r = new Rig();
        r.MmuOn();
        r.Map(Va1, DataB);
        r.V.Regs[16] = HypercallNumber.XenVersion;
        r.V.Regs[0] = XenVer.Extraversion;
        r.V.Regs[1] = Va1 + 0x40;
        Assert.That(r.Bed.Exit(r.V, Arm64Bed.Hvc(0xEA1)), Is.EqualTo(Arm64ExitResult.Resume));
        Assert.That(r.V.Regs[0], Is.EqualTo(0UL));
        string extra = new BuildInfo().ExtraVersion;
        Assert.That(Encoding.ASCII.GetString(r.Peek(DataB + 0x40, extra.Length)), Is.EqualTo(extra));

        r.V.Regs[16] = HypercallNumber.XenVersion;
        r.V.Regs[0] = XenVer.Extraversion;
        r.V.Regs[1] = Va1 + 0x1000;   // not mapped
        r.Bed.Exit(r.V, Arm64Bed.Hvc(0xEA1));
        Assert.That((long)r.V.Regs[0], Is.EqualTo(-Errno.EFAULT));
    }
}

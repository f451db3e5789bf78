using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// The emulated GIC distributor (GUEST_GICD_BASE) and, on GICv3, redistributors (GUEST_GICV3_GICR0_BASE,
/// one 128 KiB RD_base + SGI_base pair per vCPU): enables, pending, priorities, groups and
/// configuration of INTIDs 0–63, identification registers, SGI generation. Registers we do not
/// model read as zero and ignore writes, as a GIC's reserved space does.
/// </summary>
public static class VgicMmio
{
    const uint Iidr = 0x0000_043B;   // implementer: Arm

    public static bool ClaimsDistributor(Domain d, ulong ipa) =>
        ipa - GuestLayout.GicdBase < (d.Arm64.Dist.Version == 3 ? GuestLayout.Gicv3GicdSize : GuestLayout.GicdSize);

    public static bool ClaimsRedistributor(Domain d, ulong ipa) =>
        d.Arm64.Dist.Version == 3 && ipa - GuestLayout.Gicv3GicrBase < GuestLayout.Gicv3GicrSize;

    public static ulong DistRead(Vcpu v, ulong off, int size)
    {
        VgicDist dist = v.Domain.Arm64.Dist;
        VgicCpu c = v.Arm64.Vgic;
        bool v3 = dist.Version == 3;
        if (off >= 0x400 && off < 0x440) return Priorities(v, off - 0x400, size);
        if (v3 && off >= 0x6100 && off < 0x6100 + 8 * VgicDist.Spis) return dist.Router[(off - 0x6100) / 8];
        switch (off)
        {
            case 0x000: return v3 ? (dist.Ctlr & 3) | (1u << 4) : dist.Ctlr & 3;
            case 0x004:
                return v3 ? (9u << 19) | 1u : ((uint)(v.Domain.Vcpus.Length - 1) << 5) | 1u;
            case 0x008: return Iidr;
            case 0x080: return v3 ? 0 : c.Group;
            case 0x084: return dist.Group;
            case 0x100: case 0x180: return v3 ? 0 : c.Enabled;
            case 0x104: case 0x184: return dist.Enabled;
            case 0x200: case 0x280: return v3 ? 0 : c.Pending;
            case 0x204: case 0x284: return dist.Pending;
            case 0xC00: return v3 ? 0 : 0xAAAA_AAAA;
            case 0xC04: return v3 ? 0 : c.Config1;
            case 0xC08: return dist.Config[0];
            case 0xC0C: return dist.Config[1];
            case 0xFE8: return v3 ? 0u : 0x2Bu;   // GICv2 PIDR2: ArchRev 2
            case 0xFFE8: return v3 ? 0x3Bu : 0;   // GICv3 PIDR2: ArchRev 3
        }
        if (!v3 && off >= 0x800 && off < 0x840) return Targets(v, off - 0x800, size);
        return 0;
    }

    public static void DistWrite(Vcpu v, ulong off, int size, ulong value)
    {
        VgicDist dist = v.Domain.Arm64.Dist;
        VgicCpu c = v.Arm64.Vgic;
        bool v3 = dist.Version == 3;
        uint w = (uint)value;
        if (off >= 0x400 && off < 0x440) { SetPriorities(v, off - 0x400, size, value); return; }
        if (v3 && off >= 0x6100 && off < 0x6100 + 8 * VgicDist.Spis) { dist.Router[(off - 0x6100) / 8] = value; return; }
        if (!v3 && off >= 0x820 && off < 0x840) { SetTargets(dist, off - 0x820, size, value); return; }
        switch (off)
        {
            case 0x000: dist.Ctlr = w & 3; break;
            case 0x080: if (!v3) c.Group = w; break;
            case 0x084: dist.Group = w; break;
            case 0x100: if (!v3) c.Enabled |= w; break;
            case 0x104: dist.Enabled |= w; break;
            case 0x180: if (!v3) c.Enabled &= ~w; break;
            case 0x184: dist.Enabled &= ~w; break;
            case 0x200: if (!v3) Vgic.RaiseLocal(v, w & 0xFFFF_0000); break;   // SGIs come through SGIR
            case 0x204: Vgic.RaiseShared(v.Domain, w); break;
            case 0x280: if (!v3) c.Pending &= ~w; break;
            case 0x284: dist.Pending &= ~w; break;
            case 0xC04: if (!v3) c.Config1 = w; break;
            case 0xC08: dist.Config[0] = w; break;
            case 0xC0C: dist.Config[1] = w; break;
            case 0xF00: if (!v3) Sgi.SendV2(v, w); break;
        }
    }

    public static ulong RedistRead(Vcpu v, ulong offset, int size)
    {
        Vcpu target = RedistOwner(v.Domain, offset);
        if (target == null) return 0;
        VgicCpu c = target.Arm64.Vgic;
        ulong off = offset % GuestLayout.GicrStride;
        if (off >= 0x10400 && off < 0x10420) return Priorities(target, off - 0x10400, size);
        switch (off)
        {
            case 0x0004: return Iidr;
            case 0x0008: return Typer(target) & (size == 8 ? ulong.MaxValue : 0xFFFF_FFFF);
            case 0x000C: return Typer(target) >> 32;
            case 0x0014: return c.Asleep ? 6u : 0u;   // ProcessorSleep and ChildrenAsleep together
            case 0xFFE8: return 0x3B;
            case 0x10080: return c.Group;
            case 0x10100: case 0x10180: return c.Enabled;
            case 0x10200: case 0x10280: return c.Pending;
            case 0x10C00: return 0xAAAA_AAAA;
            case 0x10C04: return c.Config1;
            default: return 0;
        }
    }

    public static void RedistWrite(Vcpu v, ulong offset, int size, ulong value)
    {
        Vcpu target = RedistOwner(v.Domain, offset);
        if (target == null) return;
        VgicCpu c = target.Arm64.Vgic;
        ulong off = offset % GuestLayout.GicrStride;
        uint w = (uint)value;
        if (off >= 0x10400 && off < 0x10420) { SetPriorities(target, off - 0x10400, size, value); return; }
        switch (off)
        {
            case 0x0014: c.Asleep = (w & 2) != 0; break;
            case 0x10080: c.Group = w; break;
            case 0x10100: c.Enabled |= w; break;
            case 0x10180: c.Enabled &= ~w; break;
            case 0x10200: Vgic.RaiseLocal(target, w); break;
            case 0x10280: c.Pending &= ~w; break;
            case 0x10C04: c.Config1 = w; break;
        }
    }

    /// <summary>GICR_TYPER: affinity in the top word, processor number, Last on the final frame.</summary>
    static ulong Typer(Vcpu v)
    {
        ulong mpidr = v.Arm64.Vmpidr;
        ulong affinity = (mpidr & 0xFF_FFFF) | ((mpidr >> 8) & 0xFF00_0000);
        ulong last = v.Id == v.Domain.Vcpus.Length - 1 ? 1UL << 4 : 0;
        return (affinity << 32) | ((ulong)v.Id << 8) | last;
    }

    static Vcpu RedistOwner(Domain d, ulong offset)
    {
        ulong index = offset / GuestLayout.GicrStride;
        return index < (ulong)d.Vcpus.Length ? d.Vcpus[index] : null;
    }

    // IPRIORITYR: one byte per INTID; 0–31 banked per vCPU, 32–63 the domain's.
    static ulong Priorities(Vcpu v, ulong first, int size)
    {
        ulong value = 0;
        for (int i = 0; i < size && i < 8; i++) value |= (ulong)PriorityOf(v, first + (ulong)i) << (8 * i);
        return value;
    }

    static void SetPriorities(Vcpu v, ulong first, int size, ulong value)
    {
        for (int i = 0; i < size && i < 8; i++)
        {
            ulong intid = first + (ulong)i;
            byte p = (byte)(value >> (8 * i));
            if (intid < 32) v.Arm64.Vgic.Priority[intid] = p;
            else if (intid < VgicDist.Lines) v.Domain.Arm64.Dist.Priority[intid - 32] = p;
        }
    }

    static byte PriorityOf(Vcpu v, ulong intid) =>
        intid < 32 ? v.Arm64.Vgic.Priority[intid] : intid < VgicDist.Lines ? v.Domain.Arm64.Dist.Priority[intid - 32] : (byte)0;

    // GICv2 ITARGETSR: banked INTIDs read as this CPU's own bit; SPIs keep what the guest wrote.
    static ulong Targets(Vcpu v, ulong first, int size)
    {
        ulong value = 0;
        for (int i = 0; i < size && i < 4; i++)
        {
            ulong intid = first + (ulong)i;
            byte t = intid < 32 ? (byte)(1 << (v.Id & 7)) : v.Domain.Arm64.Dist.Targets[intid - 32];
            value |= (ulong)t << (8 * i);
        }
        return value;
    }

    static void SetTargets(VgicDist dist, ulong first, int size, ulong value)
    {
        for (int i = 0; i < size && i < 4; i++)
            if (first + (ulong)i < VgicDist.Spis) dist.Targets[first + (ulong)i] = (byte)(value >> (8 * i));
    }
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>Software-generated interrupts between a domain's vCPUs: GICv2 GICD_SGIR writes, GICv3 ICC_SGI1R_EL1 writes.</summary>
public static class Sgi
{
    /// <summary>GICD_SGIR: filter 0 = the CPU target list, 1 = every other vCPU, 2 = the sender only.</summary>
    public static void SendV2(Vcpu sender, uint sgir)
    {
        uint intid = sgir & 0xF;
        uint filter = (sgir >> 24) & 3;
        uint list = (sgir >> 16) & 0xFF;
        Domain d = sender.Domain;
        for (int i = 0; i < d.Vcpus.Length && i < 8; i++)
        {
            bool hit = filter switch
            {
                0 => (list & (1u << i)) != 0,
                1 => i != sender.Id,
                2 => i == sender.Id,
                _ => false,
            };
            if (hit) Deliver(d.Vcpus[i], intid);
        }
    }

    /// <summary>ICC_SGI1R_EL1: IRM = every other vCPU, else the target list within cluster Aff3.Aff2.Aff1 (16 vCPUs per Aff1, as our MPIDRs).</summary>
    public static void SendV3(Vcpu sender, ulong value)
    {
        uint intid = (uint)(value >> 24) & 0xF;
        Domain d = sender.Domain;
        if ((value & (1UL << 40)) != 0)
        {
            for (int i = 0; i < d.Vcpus.Length; i++)
                if (i != sender.Id) Deliver(d.Vcpus[i], intid);
            return;
        }
        if (((value >> 32) & 0xFF) != 0 || ((value >> 48) & 0xFF) != 0) return;   // Aff2/Aff3: no such vCPUs
        int cluster = (int)((value >> 16) & 0xFF);
        uint list = (uint)value & 0xFFFF;
        for (int bit = 0; bit < 16; bit++)
        {
            int id = cluster * 16 + bit;
            if ((list & (1u << bit)) != 0 && id < d.Vcpus.Length) Deliver(d.Vcpus[id], intid);
        }
    }

    static void Deliver(Vcpu v, uint intid) => Vgic.Raise(v, intid);
}

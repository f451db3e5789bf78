using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>What the host GIC and timer look like (from the host device tree).</summary>
public struct HostInterrupts
{
    /// <summary>INTID of the EL1 virtual timer PPI: taken by the hypervisor, re-raised as the guest's 27.</summary>
    public uint VirtualTimer;
    /// <summary>INTID of the EL2 physical timer PPI (CNTHP): the scheduler's slice and idle wake-up.</summary>
    public uint HypervisorTimer;
    /// <summary>GICv2 only: the GICV frame a guest's GICC maps to (0 on GICv3).</summary>
    public ulong VirtualCpuInterface;
}

/// <summary>
/// The virtualization host on one physical CPU: VMIDs, the host interrupt numbers, which vCPU's
/// state is in the hardware now, and per-class exit counters (Jailhouse-style).
/// </summary>
public sealed unsafe class Arm64Host
{
    /// <summary>Frames the hypervisor keeps for itself (stage-2 tables, vCPU contexts) belong to DOMID_XEN.</summary>
    public const ushort FrameOwner = (ushort)DomainIds.Xen;

    /// <summary>
    /// HCR_EL2 for a 64-bit guest, as Xen's get_default_hcr_flags + RW: stage 2, interrupts routed
    /// to EL2 and virtualized, SMC/WFI/WFE/set-way/implementation-defined registers trapped.
    /// </summary>
    public const ulong GuestHcr = (1UL << 31) | (1UL << 22) | (1UL << 20) | (1UL << 19) | (1UL << 14) | (1UL << 13)
        | (1UL << 10) | (1UL << 9) | (1UL << 5) | (1UL << 4) | (1UL << 3) | (1UL << 2) | (1UL << 1) | 1UL;

    /// <summary>CNTHCTL_EL2: EL1 may read the physical counter (EL1PCTEN); its physical timer traps (EL1PCEN = 0).</summary>
    public const ulong GuestCnthctl = 1;

    public readonly Hypervisor Hv;
    public readonly Arm64Cpu Cpu;
    public readonly HostInterrupts Interrupts;
    public readonly int GicVersion;
    public readonly int ListRegisters;
    public readonly Arm64Counters Counters;
    public readonly ulong Vtcr;
    readonly bool[] _vmidUsed = new bool[256];

    /// <summary>The vCPU whose EL1, timer and virtual-interface state is in the hardware (null: none).</summary>
    public Vcpu Loaded;
    /// <summary>The scheduler's slice ran out (EL2 timer): pick the next runnable vCPU.</summary>
    public bool SliceExpired;

    /// <summary>Synchronous exits by exception class, then IRQ and SError exits.</summary>
    public readonly ulong[] ExitCounts = new ulong[Ec.TableSize + 2];
    public const int IrqCount = Ec.TableSize, SerrorCount = Ec.TableSize + 1;

    Arm64Host(Hypervisor hv, Arm64Cpu cpu, HostInterrupts irqs, Arm64Counters counters)
    {
        Hv = hv;
        Cpu = cpu;
        Interrupts = irqs;
        Counters = counters;
        GicVersion = cpu.GicVersion;
        ListRegisters = cpu.ListRegisters > VgicCpu.MaxListRegisters ? VgicCpu.MaxListRegisters : cpu.ListRegisters;
        Vtcr = Stage2.Vtcr(cpu.PhysicalAddressRange);
        _vmidUsed[0] = true;   // VMID 0: nothing runs with it
    }

    /// <summary>Sets EL2 up for guests; null (with a console line) when the platform cannot host them.</summary>
    public static Arm64Host Start(Hypervisor hv, Arm64Cpu cpu, HostInterrupts irqs, Arm64Counters counters)
    {
        if (cpu.GicVersion != 2 && cpu.GicVersion != 3) return Refuse(hv, "(XEN) no GICv2 or GICv3: cannot virtualize interrupts");
        if (cpu.ListRegisters < 1) return Refuse(hv, "(XEN) the GIC has no virtualization extensions (no list registers)");
        if (cpu.GicVersion == 2 && irqs.VirtualCpuInterface == 0) return Refuse(hv, "(XEN) GICv2 without a GICV frame in the device tree");
        if (irqs.VirtualTimer == 0 || irqs.HypervisorTimer == 0) return Refuse(hv, "(XEN) the device tree gives no virtual/hypervisor timer interrupts");
        var host = new Arm64Host(hv, cpu, irqs, counters);
        hv.Arch = new Arm64DomainRelease(host);
        hv.Paging = new Stage1Walk(host);
        hv.EventDelivery = new Arm64Events();
        cpu.EnableVirtualization(host.Vtcr, GuestCnthctl);
        cpu.EnablePpi(irqs.VirtualTimer);
        cpu.EnablePpi(irqs.HypervisorTimer);
        return host;
    }

    /// <summary>A free VMID, or 0 when all 255 are taken.</summary>
    public uint AllocateVmid()
    {
        for (uint i = 1; i < (uint)_vmidUsed.Length; i++)
        {
            if (_vmidUsed[i]) continue;
            _vmidUsed[i] = true;
            return i;
        }
        return 0;
    }

    public void FreeVmid(uint vmid)
    {
        if (vmid != 0 && vmid < (uint)_vmidUsed.Length) _vmidUsed[vmid] = false;
    }

    /// <summary>A vCPU's EL1 register: from the hardware when it is loaded, else from its saved context.</summary>
    public ulong ReadEl1(Vcpu v, int reg) => Loaded == v ? Cpu.ReadEl1(reg) : v.Arm64.Ctx->El1[reg];

    public void WriteEl1(Vcpu v, int reg, ulong value)
    {
        if (Loaded == v) Cpu.WriteEl1(reg, value);
        else v.Arm64.Ctx->El1[reg] = value;
    }

    static Arm64Host Refuse(Hypervisor hv, string why)
    {
        hv.Console.WriteLine(why);
        return null;
    }
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// One trip into a vCPU: switch the hardware to it if another vCPU's state is loaded, put its
/// pending virtual interrupts in list registers, run it, take the list registers back, and
/// hand the exit to the table.
/// </summary>
public static unsafe class Arm64Run
{
    public static Arm64ExitResult RunOnce(Arm64Host host, Vcpu v)
    {
        if (host.Loaded != v) Switch(host, v);
        Vgic.Flush(host, v);
        GuestContext* ctx = v.Arm64.Ctx;
        fixed (RegisterFile* regs = &v.Regs) host.Cpu.Run(regs, ctx);
        Vgic.Sync(host, v);
        return Arm64Exits.Handle(host, v, ctx);
    }

    /// <summary>Saves the loaded vCPU's EL1 and virtual-interface state and loads <paramref name="v"/>'s world.</summary>
    public static void Switch(Arm64Host host, Vcpu v)
    {
        Vcpu old = host.Loaded;
        if (old != null && old.Arm64 != null)
        {
            host.Cpu.SaveEl1(old.Arm64.Ctx);
            Vgic.Save(host, old);
        }
        Domain d = v.Domain;
        var world = new Arm64World
        {
            Vttbr = d.Arm64.Vttbr,
            Hcr = Arm64Host.GuestHcr,
            Cntvoff = d.Arm64.Cntvoff,
            Vmpidr = v.Arm64.Vmpidr,
        };
        host.Cpu.LoadWorld(world);
        host.Cpu.LoadEl1(v.Arm64.Ctx);
        Vgic.Load(host, v);
        host.Loaded = v;
    }

    /// <summary>The vCPU's state is going away: it must never be saved back into freed memory.</summary>
    public static void Forget(Arm64Host host, Vcpu v)
    {
        if (host.Loaded == v) host.Loaded = null;
    }
}

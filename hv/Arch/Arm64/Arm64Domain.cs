using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// A domain's arm64 life: VMID, stage-2 tables built from its p2m and kept in step with it,
/// the virtual GIC and timer offset, one context frame per vCPU; and their release.
/// </summary>
public static unsafe class Arm64Domain
{
    /// <summary>Sets up a domain whose p2m is populated; false (nothing kept) when out of VMIDs or memory.</summary>
    public static bool Create(Arm64Host host, Domain d, bool vpl011)
    {
        MachineMemory mem = host.Hv.Memory;
        var s = new Arm64DomainState
        {
            Vmid = host.AllocateVmid(),
            Cntvoff = host.Cpu.Counter(),
            Dist = new VgicDist(host.GicVersion),
            Uart = vpl011 ? new Vpl011() : null,
        };
        d.Arm64 = s;
        if (s.Vmid == 0) return Fail(host, d);
        s.Stage2Root = Stage2.NewRoot(mem);
        if (!s.Stage2Root.IsValid || !MapP2m(mem, s.Stage2Root, d.P2m)) return Fail(host, d);
        // GICv2: the guest's CPU interface is the hardware's virtual one (GICV), mapped straight through.
        if (host.GicVersion == 2
            && !Stage2.MapDevice(mem, s.Stage2Root, GuestLayout.GiccBase, host.Interrupts.VirtualCpuInterface, GuestLayout.GiccSize))
            return Fail(host, d);
        d.P2m.Observer = new Stage2Sync(host, d);

        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            Vcpu v = d.Vcpus[i];
            var vs = new Arm64VcpuState
            {
                ContextFrame = mem.Allocate(Arm64Host.FrameOwner),
                Vmpidr = (1UL << 31) | ((ulong)(i / 16) << 8) | (ulong)(i % 16),
                Vgic = new VgicCpu(),
            };
            v.Arm64 = vs;
            if (!vs.ContextFrame.IsValid) return Fail(host, d);
            vs.Ctx = (GuestContext*)mem.Map(vs.ContextFrame);
            vs.Ctx->El1[El1Reg.Sctlr] = Psci.SctlrGuestInit;
            v.Regs.Flags = GuestException.Pstate64Init;
            v.Mode = Abi.GuestMode.Arm;
        }
        return true;
    }

    /// <summary>Gives back the contexts, stage-2 tables and VMID. Safe on a partly created domain.</summary>
    public static void Destroy(Arm64Host host, Domain d)
    {
        MachineMemory mem = host.Hv.Memory;
        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            Vcpu v = d.Vcpus[i];
            Arm64Run.Forget(host, v);
            if (v.Arm64 == null) continue;
            if (v.Arm64.ContextFrame.IsValid) mem.Free(v.Arm64.ContextFrame);
            v.Arm64 = null;
        }
        Arm64DomainState s = d.Arm64;
        if (s == null) return;
        d.P2m.Observer = null;
        if (s.Stage2Root.IsValid)
        {
            host.Cpu.FlushGuestTlb(s.Vttbr);   // the VMID will be reused
            Stage2.Free(mem, s.Stage2Root);
        }
        host.FreeVmid(s.Vmid);
        d.Arm64 = null;
    }

    static bool MapP2m(MachineMemory mem, Mfn root, P2m p2m)
    {
        for (ulong g = 0; g < p2m.Size; g++)
        {
            Mfn mfn = p2m.Lookup(new Gfn(g));
            if (mfn.IsValid && !Stage2.Map(mem, root, g, mfn.Value, Stage2Sync.Attributes(p2m.TypeOf(new Gfn(g))))) return false;
        }
        return true;
    }

    static bool Fail(Arm64Host host, Domain d)
    {
        Destroy(host, d);
        return false;
    }
}

/// <summary>Hypervisor.DestroyDomain's arm64 step: whichever way a domain ends (toolstack destroydomain included), its arm state goes back.</summary>
public sealed class Arm64DomainRelease : ArchDomains
{
    readonly Arm64Host _host;

    public Arm64DomainRelease(Arm64Host host) => _host = host;

    public override void Destroyed(Domain d) => Arm64Domain.Destroy(_host, d);
}

/// <summary>Keeps a domain's stage-2 tables in step with its p2m (grant maps, shared_info and grant frames placed by the guest).</summary>
public sealed class Stage2Sync : P2mObserver
{
    readonly Arm64Host _host;
    readonly Domain _d;

    public Stage2Sync(Arm64Host host, Domain d)
    {
        _host = host;
        _d = d;
    }

    public static ulong Attributes(P2mType type) => type == P2mType.GrantMapRo ? Stage2.NormalRo : Stage2.NormalRw;

    public override void Changed(Gfn gfn, Mfn mfn, P2mType type)
    {
        Arm64DomainState s = _d.Arm64;
        if (s == null) return;
        MachineMemory mem = _host.Hv.Memory;
        bool replaced = Stage2.Lookup(mem, s.Stage2Root, gfn.Value) != 0;
        if (mfn.IsValid) Stage2.Map(mem, s.Stage2Root, gfn.Value, mfn.Value, Attributes(type));
        else Stage2.Unmap(mem, s.Stage2Root, gfn.Value);
        if (replaced) _host.Cpu.FlushGuestTlb(s.Vttbr);
    }
}

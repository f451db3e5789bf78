using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Common.Timer;

namespace XenLite.Hv.Common;

public enum DomainState : byte
{
    Running,
    ShuttingDown,
    Shutdown,
    Dying,
}

/// <summary>A guest: identity, privilege, memory map, vCPUs and lifecycle.</summary>
public sealed unsafe class Domain
{
    public readonly Hypervisor Hv;
    public readonly ushort Id;
    public readonly GuestMode Mode;
    public readonly Vcpu[] Vcpus;
    public readonly P2m P2m;

    /// <summary>Xen's is_privileged / control domain.</summary>
    public bool IsPrivileged;
    /// <summary>Xen's hardware domain (the initial domain that owns devices).</summary>
    public bool IsHardware;
    public bool IsXenstore;
    /// <summary>d->is_console: may use the hypervisor console.</summary>
    public bool IsConsole;
    /// <summary>The domain this one is a device model for (d->target), if any.</summary>
    public Domain Target;

    public DomainState State;
    public uint ShutdownCode = uint.MaxValue;
    public ulong VmAssist;
    public ulong TotPages;
    public ulong MaxPages;
    /// <summary>XENMEM_claim_pages: pages still promised to this domain (Xen's outstanding_pages).</summary>
    public ulong OutstandingPages;
    /// <summary>The grant table this domain offers to others (Xen's d->grant_table).</summary>
    public Grants.GrantTable Grants;
    /// <summary>XENMEM_set_memory_map: the e820 a toolstack gave this domain (x86), or null.</summary>
    public E820Entry[] MemoryMap;
    public readonly byte[] Handle = new byte[16];
    /// <summary>SVM state of an x86 HVM domain (ASID, nested page tables); null elsewhere.</summary>
    public Arch.X86.X86DomainState X86;
    /// <summary>Arm64 state of a domain (VMID, stage-2 tables, vGIC, vpl011); null elsewhere.</summary>
    public Arch.Arm64.Arm64DomainState Arm64;
    /// <summary>SCHEDOP_watchdog: which of the watchdog timers are claimed (bit n = id n+1) and the timers.</summary>
    public uint WatchdogInUse;
    public readonly SoftTimer[] WatchdogTimers = new SoftTimer[2];
    /// <summary>Event channels: ports, limits, the 2-level or FIFO ABI (hv/Common/Events).</summary>
    public Events.EventChannels Events;
    /// <summary>The shared_info page the hypervisor owns for this domain and the guest maps.</summary>
    public Events.SharedInfoPage SharedInfo;
    /// <summary>HVMOP_set_param/get_param values, HVM_NR_PARAMS slots (Xen's d->arch.hvm.params); hv/Common/HvmOp applies the per-parameter rules.</summary>
    public readonly ulong[] HvmParams = new ulong[HvmParam.NrParams];
    /// <summary>physdev_op bookkeeping: PIRQs handed out, the PIRQ EOI page, PV I/O privilege (hv/Common/Physdev).</summary>
    public readonly Physdev.PhysdevState Physdev;
    /// <summary>What a device model told us through dm_op: link routes, pending event injections, pinned cache attributes (hv/Common/DmOp).</summary>
    public readonly DmOp.DmState Dm;
    /// <summary>What the toolstack controls through domctl: pause count, I/O permissions, affinity… (hv/Common/Domctl).</summary>
    public readonly Domctl.DomainControl Control;

    internal Domain(Hypervisor hv, ushort id, GuestMode mode, int vcpus, ulong maxFrames)
    {
        Hv = hv;
        Id = id;
        Mode = mode;
        P2m = new P2m(maxFrames);
        MaxPages = maxFrames;
        Vcpus = new Vcpu[vcpus];
        for (int i = 0; i < vcpus; i++) Vcpus[i] = new Vcpu(this, i, mode);
        Physdev = new Physdev.PhysdevState(vcpus);
        Dm = new DmOp.DmState(vcpus);
        if (GuestModes.IsHvm(mode)) HvmOp.HvmParams.SetDefaults(this);
        Control = new Domctl.DomainControl(vcpus);
    }

    public bool IsShutdown => State == DomainState.Shutdown || State == DomainState.ShuttingDown;

    /// <summary>Paused by the toolstack (XEN_DOMCTL_pausedomain, or created and not yet unpaused): its vCPUs must not run.</summary>
    public bool IsPausedByController => Control.Paused;
}

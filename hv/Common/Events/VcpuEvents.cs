using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Events;

/// <summary>How an HVM domain wants its event upcall (HVM_PARAM_CALLBACK_IRQ type + 1, Xen's HVMIRQ_callback_*).</summary>
public enum CallbackVia : byte
{
    None = 0,
    Gsi = 1,
    PciIntx = 2,
    Vector = 3,
}

/// <summary>
/// A vCPU's side of event delivery: its VIRQ bindings, where its vcpu_info lives, its FIFO
/// queues, and the upcall the arch code must deliver (callback vector, PV callback, arm PPI).
/// </summary>
public sealed unsafe class VcpuEvents
{
    public readonly Vcpu Vcpu;
    /// <summary>Port bound to each VIRQ on this vCPU (global VIRQs: on vCPU 0); 0 = none.</summary>
    public readonly uint[] VirqToPort = new uint[Virq.NrVirqs];

    /// <summary>This vCPU's vcpu_info: its shared_info slot, a registered guest area, or null (none yet).</summary>
    public byte* Info;
    /// <summary>VCPUOP_register_vcpu_info moved vcpu_info into guest memory (allowed once).</summary>
    public bool InfoRegistered;

    /// <summary>Set when evtchn_upcall_pending went 0→1 and this vCPU has a way to be told: the arch code delivers it and clears this.</summary>
    public bool UpcallWanted;
    /// <summary>How many upcalls were raised (0→1 transitions of evtchn_upcall_pending that had a route).</summary>
    public ulong Upcalls;
    /// <summary>HVMOP_set_evtchn_upcall_vector: a per-vCPU LAPIC vector (0: none; takes precedence over the domain's callback).</summary>
    public byte UpcallVector;

    /// <summary>FIFO: this vCPU's control block (null until EVTCHNOP_init_control for it) and queue tails.</summary>
    public byte* FifoControlBlock;
    public uint[] FifoTail;

    public VcpuEvents(Vcpu v) => Vcpu = v;
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using XenLite.Hv.Xsm;

namespace XenLite.Hv.Common;

/// <summary>
/// One hypervisor instance: the machine it runs on, its domains, console, XSM module and
/// dispatcher. The image has exactly one; hosted tests make as many as they like.
/// </summary>
public sealed class Hypervisor
{
    public const int MaxDomains = 64;

    public readonly Platform Platform;
    public readonly MachineMemory Memory;
    public readonly Dispatcher Dispatcher;
    public readonly HvConsole Console;
    public readonly BuildInfo Build;
    public XsmModule Xsm;
    /// <summary>Which domain handles each global VIRQ.</summary>
    public readonly Events.GlobalVirqHandlers GlobalVirqs;
    /// <summary>The time base guests see (TSC rate and scale, wallclock).</summary>
    public readonly Vcpus.GuestClock Clock = new();
    /// <summary>State of the plugins built in, by <see cref="PluginState.SlotOf"/> their feature.</summary>
    public readonly PluginState[] Plugins = new PluginState[PluginState.Slots];
    /// <summary>How createdomain picks domain ids (Xen's domid_alloc).</summary>
    public readonly Domctl.DomidAllocator DomIds = new();
    /// <summary>Where sysctl readconsole's clear left the console ring (Xen's conringc).</summary>
    public readonly Sysctl.ConsoleRingReader ConsoleReader = new();
    /// <summary>The arch host's per-domain teardown (null when no arch host runs, as in most hosted tests).</summary>
    public ArchDomains Arch;
    /// <summary>The arch host's walk of HVM/arm guests' own page tables (null: buffer addresses are guest-physical).</summary>
    public GuestPaging Paging;
    /// <summary>The arch host's event-delivery rules for block and poll (null: evtchn_upcall_mask, as x86).</summary>
    public ArchEvents EventDelivery;

    readonly Domain[] _domains = new Domain[MaxDomains];
    int _liveDomains;

    public Hypervisor(Platform platform, MachineMemory memory, HandlerRegistry handlers, BuildInfo build, XsmModule xsm)
    {
        Platform = platform;
        Memory = memory;
        Build = build;
        Xsm = xsm;
        Console = new HvConsole(platform);
        Dispatcher = new Dispatcher(handlers);
        GlobalVirqs = new Events.GlobalVirqHandlers(this);
    }

    public int LiveDomains => _liveDomains;

    /// <summary>Why the last <see cref="CreateDomain"/> returned null when XSM refused it (its errno), else 0.</summary>
    public int LastCreateRefusal;

    /// <summary>The domain with this id, or null (DOMID_SELF etc. are resolved by the caller).</summary>
    public Domain Lookup(uint domid) => domid < MaxDomains ? _domains[domid] : null;

    /// <summary>Resolves DOMID_SELF to the caller; null when no such domain exists.</summary>
    public Domain LookupOrSelf(Vcpu caller, uint domid) => domid == DomainIds.Self ? caller.Domain : Lookup(domid);

    /// <summary>Why the last <see cref="CreateDomain"/> gave null, for a domain builder's console line.</summary>
    public string CreateRefusalReason => LastCreateRefusal == -Errno.EACCES ? "the security policy refused its creation (-EACCES)"
        : LastCreateRefusal != 0 ? "the security module refused its creation"
        : "out of memory or domain ids";

    /// <summary>Creates a domain with <paramref name="pages"/> pages of RAM at guest frames 0..pages-1; null when out of ids or memory.</summary>
    public Domain CreateDomain(in DomainConfig config)
    {
        LastCreateRefusal = 0;
        uint id = config.Id;
        if (id >= MaxDomains || _domains[id] != null) return null;
        if (config.Vcpus < 1) return null;
        ulong maxFrames = config.MaxPages > config.Pages ? config.MaxPages : config.Pages;
        var d = new Domain(this, (ushort)id, config.Mode, config.Vcpus, maxFrames)
        {
            IsPrivileged = config.Privileged,
            IsHardware = config.Privileged && id == 0,
            IsConsole = config.Privileged,
            IsXenstore = config.Xenstore,
        };
        // XSM labels the domain before it owns anything (Xen: xsm_alloc_security_domain, then
        // xsm_domain_create with the requested ssidref, which may refuse the creation).
        int refused = Xsm.AllocSecurityDomain(d);
        if (refused != 0)
        {
            LastCreateRefusal = refused;
            return null;
        }
        refused = Xsm.DomainCreate(config.Creator, d, config.Ssidref);
        if (refused != 0)
        {
            Xsm.FreeSecurityDomain(d);
            LastCreateRefusal = refused;
            return null;
        }
        for (ulong g = 0; g < config.Pages; g++)
        {
            Mfn mfn = DomainPages.Allocate(d);
            if (!mfn.IsValid)
            {
                ReleaseMemory(d);
                return null;
            }
            Physmap.AddOwn(d, new Gfn(g), mfn);
        }
        d.Grants = Grants.GrantTable.Create(d);
        if (d.Grants == null)
        {
            ReleaseMemory(d);
            return null;
        }
        if (!Events.EventSetup.Create(d, config.MaxEvtchnPort))
        {
            ReleaseMemory(d);
            return null;
        }
        _domains[id] = d;
        _liveDomains++;
        return d;
    }

    /// <summary>Frees a domain's memory and id; powers off when it was the last one.</summary>
    public void DestroyDomain(Domain d)
    {
        if (_domains[d.Id] != d) return;
        d.State = DomainState.Dying;
        for (int i = 0; i < Plugins.Length; i++)
            if (Plugins[i] != null) Plugins[i].DomainDestroyed(d);
        if (Arch != null) Arch.Destroyed(d);
        Events.EventSetup.Destroy(d);
        ReleaseMemory(d);
        Xsm.FreeSecurityDomain(d);
        _domains[d.Id] = null;
        _liveDomains--;
        if (_liveDomains == 0) Platform.PowerOff(d.ShutdownCode == 0 ? 0 : 1);
    }

    void ReleaseMemory(Domain d) => DomainTeardown.Relinquish(d);
}

/// <summary>What a domain is built with.</summary>
public struct DomainConfig
{
    public uint Id;
    public GuestMode Mode;
    public int Vcpus;
    public ulong Pages;
    public ulong MaxPages;
    public bool Privileged;
    public bool Xenstore;
    /// <summary>The highest event-channel port the domain may use; 0 takes Xen's default (unlimited when privileged, else 1023).</summary>
    public uint MaxEvtchnPort;
    /// <summary>The security label asked for (xen_domctl_createdomain.ssidref); 0 lets XSM choose.</summary>
    public uint Ssidref;
    /// <summary>The domain creating this one (XSM's subject); null when the hypervisor builds it at boot.</summary>
    public Domain Creator;
}

/// <summary>Reserved domain ids (xen.h).</summary>
public static class DomainIds
{
    public const uint FirstReserved = 0x7FF0;
    public const uint Self = 0x7FF0;
    public const uint Io = 0x7FF1;
    public const uint Xen = 0x7FF2;
    public const uint Cow = 0x7FF3;
    public const uint Invalid = 0x7FF4;
    public const uint Idle = 0x7FFF;
}

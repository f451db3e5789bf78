using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common;

/// <summary>
/// What a build-time plugin keeps per hypervisor. hv/ knows no plugin: each one subclasses this
/// and stores its instance in <see cref="Hypervisor.Plugins"/> at <see cref="SlotOf"/> its feature.
/// </summary>
public abstract class PluginState
{
    /// <summary>Slot 0 for a plugin without routing rows, then one per <see cref="Feature"/> bit.</summary>
    public const int Slots = 9;

    public static int SlotOf(Feature f)
    {
        int slot = 0;
        for (uint bits = (uint)f; bits != 0; bits >>= 1) slot++;
        return slot;
    }

    /// <summary>A domain is being destroyed, before its memory is released (Xen's domain_kill
    /// calls such as argo_destroy).</summary>
    public virtual void DomainDestroyed(Domain d) { }
}

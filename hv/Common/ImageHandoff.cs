namespace XenLite.Hv.Common;

/// <summary>
/// The machine's way to replace the running hypervisor with a loaded image (kexec). The image's
/// arch code implements it: stop the other CPUs, copy every page to its destination with paging
/// off or identity-mapped, and jump to the entry. Hosted tests record the call instead.
/// </summary>
public abstract class ImageHandoff
{
    /// <summary>Where the running hypervisor image lies in machine memory (kexec's KEXEC_RANGE_MA_XEN).</summary>
    public abstract ulong ImageStart { get; }
    public abstract ulong ImageSize { get; }

    /// <summary>
    /// Replaces the running image: <paramref name="count"/> entries of <paramref name="pages"/> in order, then a
    /// jump to <paramref name="entryMaddr"/>. <paramref name="controlMaddr"/> is a page that is no destination,
    /// free for the relocation code. Returns only when it could not (a negative errno); the hosted fake returns 0.
    /// </summary>
    public abstract int Replace(ulong entryMaddr, ushort elfMachine, HandoffPage[] pages, int count, ulong controlMaddr);
}

/// <summary>One step of a handoff: copy one source page to <see cref="Dest"/>, or zero <see cref="Pages"/> pages there.</summary>
public struct HandoffPage
{
    public const ulong ZeroFill = ulong.MaxValue;

    public ulong Dest;
    /// <summary>Machine address of the source page, or <see cref="ZeroFill"/>.</summary>
    public ulong Source;
    /// <summary>1 for a copy; the length of a zero-filled run.</summary>
    public ulong Pages;
}

namespace XenLite.Hv.Common.Memory;

// Opaque frame and address types (after Hafnium's addr.h): a guest frame can never be
// passed where a machine frame is expected without an explicit translation.

/// <summary>Machine frame number: a page of host RAM.</summary>
public readonly struct Mfn
{
    public readonly ulong Value;
    public Mfn(ulong value) => Value = value;
    public static readonly Mfn Invalid = new(ulong.MaxValue);
    public bool IsValid => Value != ulong.MaxValue;
    public Maddr ToMaddr() => new(Value << Page.Shift);
}

/// <summary>Guest frame number: a page of a domain's pseudo-physical space.</summary>
public readonly struct Gfn
{
    public readonly ulong Value;
    public Gfn(ulong value) => Value = value;
    public Gpa ToGpa() => new(Value << Page.Shift);
}

/// <summary>Machine (host-physical) address.</summary>
public readonly struct Maddr
{
    public readonly ulong Value;
    public Maddr(ulong value) => Value = value;
    public Mfn Frame => new(Value >> Page.Shift);
}

/// <summary>Guest-physical address.</summary>
public readonly struct Gpa
{
    public readonly ulong Value;
    public Gpa(ulong value) => Value = value;
    public Gfn Frame => new(Value >> Page.Shift);
    public uint PageOffset => (uint)(Value & Page.Mask);
}

/// <summary>Guest-virtual (linear) address.</summary>
public readonly struct Gva
{
    public readonly ulong Value;
    public Gva(ulong value) => Value = value;
    public uint PageOffset => (uint)(Value & Page.Mask);
}

public static class Page
{
    public const int Shift = 12;
    public const ulong Size = 1UL << Shift;
    public const ulong Mask = Size - 1;
}

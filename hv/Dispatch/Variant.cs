namespace XenLite.Hv.Dispatch;

/// <summary>The handler prefixes of hypercall-defs.c; flags so one C# handler can serve several.</summary>
public enum Variant : byte
{
    None = 0,
    Do = 1,
    Compat = 2,
    Hvm = 4,
    DoArm = 8,
    Dep = 16,
}

/// <summary>One cell of the routing table: which handler variant a mode gets, and its priority.</summary>
public readonly struct Cell
{
    public readonly Variant Variant;
    /// <summary>Xen's ":1"/":2" annotations; 0 means none given.</summary>
    public readonly byte Priority;

    public Cell(Variant variant, byte priority)
    {
        Variant = variant;
        Priority = priority;
    }

    public bool IsRouted => Variant != Variant.None;

    /// <summary>The cell as hypercall-defs.c writes it: "-", "do", "compat:2", "do_arm"…</summary>
    public string Text => Variant switch
    {
        Variant.Do => Priority switch { 1 => "do:1", 2 => "do:2", _ => "do" },
        Variant.Compat => Priority switch { 1 => "compat:1", 2 => "compat:2", _ => "compat" },
        Variant.Hvm => "hvm",
        Variant.DoArm => "do_arm",
        Variant.Dep => "dep",
        _ => "-",
    };
}

/// <summary>Build-time features that own routing rows (Xen's Kconfig options; here, plugins).</summary>
public enum Feature : byte
{
    Core = 0,
    Xenoprof = 1,
    Kexec = 2,
    Argo = 4,
    Hypfs = 8,
}

namespace XenLite.Hv.Common.Loader;

/// <summary>One (class, machine) pair an architecture accepts; the tables keep the check data.</summary>
public readonly struct ElfTarget
{
    public readonly byte Class;
    public readonly ushort Machine;

    public ElfTarget(byte cls, ushort machine)
    {
        Class = cls;
        Machine = machine;
    }

    /// <summary>x86: i386 kernels, x86_64 kernels linked as ELF32 (as Xen's own image is), and ELF64.</summary>
    public static readonly ElfTarget[] X86 =
    {
        new(ElfFormat.Class32, ElfFormat.MachineI386),
        new(ElfFormat.Class32, ElfFormat.MachineX86_64),
        new(ElfFormat.Class64, ElfFormat.MachineX86_64),
    };

    public static readonly ElfTarget[] Arm64 =
    {
        new(ElfFormat.Class64, ElfFormat.MachineAarch64),
    };

    public static bool Accepts(ElfTarget[] targets, byte cls, ushort machine)
    {
        for (int i = 0; i < targets.Length; i++)
            if (targets[i].Class == cls && targets[i].Machine == machine) return true;
        return false;
    }
}

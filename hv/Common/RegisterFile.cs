namespace XenLite.Hv.Common;

/// <summary>
/// A vCPU's general registers as the gates see them. x86 uses Xen's/hardware order
/// (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8–r15); arm64 uses x0–x30.
/// </summary>
public unsafe struct RegisterFile
{
    public const int Count = 32;

    public fixed ulong Gpr[Count];
    public ulong Ip;
    public ulong Flags;
    /// <summary>Page-table base for guests whose addresses are virtual (PV cr3, as a machine address).</summary>
    public ulong PageTableBase;

    public ulong this[int index]
    {
        get => Gpr[index];
        set => Gpr[index] = value;
    }
}

/// <summary>x86 register indices in <see cref="RegisterFile"/>.</summary>
public static class X86Reg
{
    public const int Rax = 0, Rcx = 1, Rdx = 2, Rbx = 3, Rsp = 4, Rbp = 5, Rsi = 6, Rdi = 7;
    public const int R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;
}

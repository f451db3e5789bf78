using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Dispatch;

/// <summary>
/// Where each mode keeps the hypercall number, arguments and result (xen.h, arch-arm.h):
/// x86_64 rax; rdi rsi rdx r10 r8 r9 — x86_32 eax; ebx ecx edx esi edi ebp — arm64 x16; x0–x5.
/// </summary>
public static class HypercallRegisters
{
    static readonly byte[] X86_64Args = { X86Reg.Rdi, X86Reg.Rsi, X86Reg.Rdx, X86Reg.R10, X86Reg.R8, X86Reg.R9 };
    static readonly byte[] X86_32Args = { X86Reg.Rbx, X86Reg.Rcx, X86Reg.Rdx, X86Reg.Rsi, X86Reg.Rdi, X86Reg.Rbp };
    static readonly byte[] Arm64Args = { 0, 1, 2, 3, 4, 5 };

    public const int ArmNumberRegister = 16;

    public static int NumberRegister(GuestMode m) => m == GuestMode.Arm ? ArmNumberRegister : X86Reg.Rax;

    public static int ResultRegister(GuestMode m) => m == GuestMode.Arm ? 0 : X86Reg.Rax;

    public static int ArgRegister(GuestMode m, int i) => m switch
    {
        GuestMode.Arm => Arm64Args[i],
        GuestMode.Pv32 or GuestMode.Hvm32 => X86_32Args[i],
        _ => X86_64Args[i],
    };
}

using System.Runtime.InteropServices;

namespace XenLite.Hv.Arch.X86;

/// <summary>A segment register as the VMCB stores it (AMD APM vol. 2, table B-2).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct VmcbSegment
{
    [FieldOffset(0)] public ushort Selector;
    /// <summary>Descriptor bits 8–15 and 20–23 packed into 12 bits: type, S, DPL, P, AVL, L, D/B, G.</summary>
    [FieldOffset(2)] public ushort Attrib;
    [FieldOffset(4)] public uint Limit;
    [FieldOffset(8)] public ulong Base;

    public const ushort AttrL = 1 << 9;
}

/// <summary>
/// The virtual machine control block: control area (0x000–0x3FF) and state save area (0x400–),
/// laid out as AMD APM vol. 2 appendix B, tables B-1 and B-2. One 4 KiB page per vCPU.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 4096)]
public struct Vmcb
{
    // Control area.
    [FieldOffset(0x000)] public uint CrIntercepts;        // reads 0–15, writes 16–31
    [FieldOffset(0x004)] public uint DrIntercepts;
    [FieldOffset(0x008)] public uint ExceptionIntercepts;
    [FieldOffset(0x00C)] public uint Intercepts1;         // SvmIntercept1
    [FieldOffset(0x010)] public uint Intercepts2;         // SvmIntercept2
    [FieldOffset(0x014)] public uint Intercepts3;
    [FieldOffset(0x03C)] public ushort PauseFilterThreshold;
    [FieldOffset(0x03E)] public ushort PauseFilterCount;
    [FieldOffset(0x040)] public ulong IopmBasePa;
    [FieldOffset(0x048)] public ulong MsrpmBasePa;
    [FieldOffset(0x050)] public ulong TscOffset;
    [FieldOffset(0x058)] public uint Asid;
    [FieldOffset(0x05C)] public byte TlbControl;
    /// <summary>V_TPR 0–7, V_IRQ 8, V_INTR_PRIO 16–19, V_IGN_TPR 20, V_INTR_MASKING 24, V_INTR_VECTOR 32–39.</summary>
    [FieldOffset(0x060)] public ulong VIntr;
    /// <summary>Bit 0: interrupt shadow.</summary>
    [FieldOffset(0x068)] public ulong InterruptShadow;
    [FieldOffset(0x070)] public ulong ExitCode;
    [FieldOffset(0x078)] public ulong ExitInfo1;
    [FieldOffset(0x080)] public ulong ExitInfo2;
    [FieldOffset(0x088)] public ulong ExitIntInfo;
    /// <summary>Bit 0: nested paging enable.</summary>
    [FieldOffset(0x090)] public ulong NpControl;
    [FieldOffset(0x0A8)] public ulong EventInj;
    [FieldOffset(0x0B0)] public ulong NCr3;
    [FieldOffset(0x0B8)] public ulong VirtExt;
    [FieldOffset(0x0C0)] public uint CleanBits;
    [FieldOffset(0x0C8)] public ulong NextRip;
    [FieldOffset(0x0D0)] public byte GuestInsnLen;

    // State save area.
    [FieldOffset(0x400)] public VmcbSegment Es;
    [FieldOffset(0x410)] public VmcbSegment Cs;
    [FieldOffset(0x420)] public VmcbSegment Ss;
    [FieldOffset(0x430)] public VmcbSegment Ds;
    [FieldOffset(0x440)] public VmcbSegment Fs;
    [FieldOffset(0x450)] public VmcbSegment Gs;
    [FieldOffset(0x460)] public VmcbSegment Gdtr;
    [FieldOffset(0x470)] public VmcbSegment Ldtr;
    [FieldOffset(0x480)] public VmcbSegment Idtr;
    [FieldOffset(0x490)] public VmcbSegment Tr;
    [FieldOffset(0x4CB)] public byte Cpl;
    [FieldOffset(0x4D0)] public ulong Efer;
    [FieldOffset(0x548)] public ulong Cr4;
    [FieldOffset(0x550)] public ulong Cr3;
    [FieldOffset(0x558)] public ulong Cr0;
    [FieldOffset(0x560)] public ulong Dr7;
    [FieldOffset(0x568)] public ulong Dr6;
    [FieldOffset(0x570)] public ulong Rflags;
    [FieldOffset(0x578)] public ulong Rip;
    [FieldOffset(0x5D8)] public ulong Rsp;
    [FieldOffset(0x5F8)] public ulong Rax;
    [FieldOffset(0x600)] public ulong Star;
    [FieldOffset(0x608)] public ulong Lstar;
    [FieldOffset(0x610)] public ulong Cstar;
    [FieldOffset(0x618)] public ulong Sfmask;
    [FieldOffset(0x620)] public ulong KernelGsBase;
    [FieldOffset(0x628)] public ulong SysenterCs;
    [FieldOffset(0x630)] public ulong SysenterEsp;
    [FieldOffset(0x638)] public ulong SysenterEip;
    [FieldOffset(0x640)] public ulong Cr2;
    [FieldOffset(0x668)] public ulong GPat;
    [FieldOffset(0x670)] public ulong DebugCtl;
}

using System.Runtime.InteropServices;

namespace XenLite.Hv.Abi;

/// <summary>hvm_op sub-ops (public hvm/hvm_op.h, HVMOP_*).</summary>
public static class HvmOpCmd
{
    public const int SetParam = 0;
    public const int GetParam = 1;
    /// <summary>2..4: the pre-4.9 interrupt-level ops, now dm_op; Xen answers -ENOSYS.</summary>
    public const int SetPciIntxLevel = 2;
    public const int SetIsaIrqLevel = 3;
    public const int SetPciLinkRoute = 4;
    public const int FlushTlbs = 5;
    public const int PagetableDying = 9;
    public const int GetTime = 10;
    public const int Xentrace = 11;
    public const int SetMemAccess = 12;
    public const int GetMemAccess = 13;
    public const int GetMemType = 15;
    public const int SetEvtchnUpcallVector = 23;
    public const int GuestRequestVmEvent = 24;
    public const int Altp2m = 25;
}

/// <summary>hvmmem_type_t values HVMOP_get_mem_type reports.</summary>
public static class HvmMemType
{
    public const ushort RamRw = 0;
    public const ushort RamRo = 1;
    public const ushort MmioDm = 2;
    public const ushort Unused = 3;
    public const ushort IoreqServer = 4;
}

/// <summary>xen_hvm_param_t; the same for every caller.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct XenHvmParam
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(2)] public ushort Pad;
    [FieldOffset(4)] public uint Index;
    [FieldOffset(8)] public ulong Value;
}

/// <summary>xen_hvm_pagetable_dying_t.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct XenHvmPagetableDying
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(2)] public fixed ushort Pad[3];
    [FieldOffset(8)] public ulong Gpa;
}

/// <summary>xen_hvm_get_time_t.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenHvmGetTime
{
    [FieldOffset(0)] public ulong Now;
}

/// <summary>xen_hvm_xentrace_t: TRACE_EXTRA_MAX (7) words of extra data.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct XenHvmXentrace
{
    public const int ExtraMax = 28;
    [FieldOffset(0)] public ushort Event;
    [FieldOffset(2)] public ushort ExtraBytes;
    [FieldOffset(4)] public fixed byte Extra[ExtraMax];
}

/// <summary>xen_hvm_get_mem_type_t.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct XenHvmGetMemType
{
    [FieldOffset(0)] public ushort DomId;
    [FieldOffset(2)] public ushort MemType;
    [FieldOffset(4)] public fixed ushort Pad[2];
    [FieldOffset(8)] public ulong Pfn;
}

/// <summary>xen_hvm_evtchn_upcall_vector_t (x86 only).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct XenHvmEvtchnUpcallVector
{
    [FieldOffset(0)] public uint Vcpu;
    [FieldOffset(4)] public byte Vector;
}

namespace XenLite.Hv.Abi;

/// <summary>Hypercall numbers from Xen's public xen.h (__HYPERVISOR_*).</summary>
public static class HypercallNumber
{
    public const int SetTrapTable = 0;
    public const int MmuUpdate = 1;
    public const int SetGdt = 2;
    public const int StackSwitch = 3;
    public const int SetCallbacks = 4;
    public const int FpuTaskswitch = 5;
    public const int SchedOpCompat = 6;
    public const int PlatformOp = 7;
    public const int SetDebugreg = 8;
    public const int GetDebugreg = 9;
    public const int UpdateDescriptor = 10;
    public const int MemoryOp = 12;
    public const int Multicall = 13;
    public const int UpdateVaMapping = 14;
    public const int SetTimerOp = 15;
    public const int EventChannelOpCompat = 16;
    public const int XenVersion = 17;
    public const int ConsoleIo = 18;
    public const int PhysdevOpCompat = 19;
    public const int GrantTableOp = 20;
    public const int VmAssist = 21;
    public const int UpdateVaMappingOtherdomain = 22;
    public const int Iret = 23;
    public const int VcpuOp = 24;
    public const int SetSegmentBase = 25;
    public const int MmuextOp = 26;
    public const int XsmOp = 27;
    public const int NmiOp = 28;
    public const int SchedOp = 29;
    public const int CallbackOp = 30;
    public const int XenoprofOp = 31;
    public const int EventChannelOp = 32;
    public const int PhysdevOp = 33;
    public const int HvmOp = 34;
    public const int Sysctl = 35;
    public const int Domctl = 36;
    public const int KexecOp = 37;
    public const int TmemOp = 38;
    public const int ArgoOp = 39;
    public const int XenpmuOp = 40;
    public const int DmOp = 41;
    public const int HypfsOp = 42;

    // Architecture slots 48-55 (__HYPERVISOR_arch_N); x86 uses the first two.
    public const int Arch0 = 48;
    public const int Mca = Arch0;
    public const int PagingDomctlCont = Arch0 + 1;
    public const int Arch7 = 55;

    /// <summary>Size of the dispatch space: every number below this has a table slot.</summary>
    public const int TableSize = 64;
}

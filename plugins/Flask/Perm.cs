namespace XenLite.Flask;

/// <summary>Permission bits per class (Xen: CLASS__PERM), generated from access_vectors.</summary>
public static class Perm
{
    public static class Xen
    {
        public const uint Settime = 1u << 0;
        public const uint Tbufcontrol = 1u << 1;
        public const uint Readconsole = 1u << 2;
        public const uint Clearconsole = 1u << 3;
        public const uint Perfcontrol = 1u << 4;
        public const uint MtrrAdd = 1u << 5;
        public const uint MtrrDel = 1u << 6;
        public const uint MtrrRead = 1u << 7;
        public const uint Microcode = 1u << 8;
        public const uint Physinfo = 1u << 9;
        public const uint Quirk = 1u << 10;
        public const uint Writeconsole = 1u << 11;
        public const uint Readapic = 1u << 12;
        public const uint Writeapic = 1u << 13;
        public const uint Kexec = 1u << 14;
        public const uint Firmware = 1u << 15;
        public const uint Sleep = 1u << 16;
        public const uint Frequency = 1u << 17;
        public const uint Getidle = 1u << 18;
        public const uint Debug = 1u << 19;
        public const uint Getcpuinfo = 1u << 20;
        public const uint Heap = 1u << 21;
        public const uint PmOp = 1u << 22;
        public const uint McaOp = 1u << 23;
        public const uint Lockprof = 1u << 24;
        public const uint CpupoolOp = 1u << 25;
        public const uint HypfsOp = 1u << 26;
        public const uint Getscheduler = 1u << 27;
        public const uint Setscheduler = 1u << 28;
    }
    public static class Xen2
    {
        public const uint ResourceOp = 1u << 0;
        public const uint PsrCmtOp = 1u << 1;
        public const uint PsrAlloc = 1u << 2;
        public const uint GetSymbol = 1u << 3;
        public const uint PmuCtrl = 1u << 4;
        public const uint PmuUse = 1u << 5;
        public const uint GetCpuFeatureset = 1u << 6;
        public const uint LivepatchOp = 1u << 7;
        public const uint CoverageOp = 1u << 8;
        public const uint GetDom0Console = 1u << 9;
    }
    public static class Domain
    {
        public const uint Setvcpucontext = 1u << 0;
        public const uint Pause = 1u << 1;
        public const uint Unpause = 1u << 2;
        public const uint Resume = 1u << 3;
        public const uint Create = 1u << 4;
        public const uint Transition = 1u << 5;
        public const uint MaxVcpus = 1u << 6;
        public const uint Destroy = 1u << 7;
        public const uint Setaffinity = 1u << 8;
        public const uint Getaffinity = 1u << 9;
        public const uint Getscheduler = 1u << 10;
        public const uint Getdomaininfo = 1u << 11;
        public const uint Getvcpuinfo = 1u << 12;
        public const uint Getvcpucontext = 1u << 13;
        public const uint Setdomainmaxmem = 1u << 14;
        public const uint Setdomainhandle = 1u << 15;
        public const uint Setdebugging = 1u << 16;
        public const uint Hypercall = 1u << 17;
        public const uint Settime = 1u << 18;
        public const uint SetTarget = 1u << 19;
        public const uint Shutdown = 1u << 20;
        public const uint Setaddrsize = 1u << 21;
        public const uint Getaddrsize = 1u << 22;
        public const uint Trigger = 1u << 23;
        public const uint Getpodtarget = 1u << 24;
        public const uint Setpodtarget = 1u << 25;
        public const uint SetMiscInfo = 1u << 26;
        public const uint SetVirqHandler = 1u << 27;
        public const uint Getpagingmempool = 1u << 28;
        public const uint Setpagingmempool = 1u << 29;
    }
    public static class Domain2
    {
        public const uint Relabelfrom = 1u << 0;
        public const uint Relabelto = 1u << 1;
        public const uint Relabelself = 1u << 2;
        public const uint MakePrivFor = 1u << 3;
        public const uint SetAsTarget = 1u << 4;
        public const uint SetCpuPolicy = 1u << 5;
        public const uint Gettsc = 1u << 6;
        public const uint Settsc = 1u << 7;
        public const uint Setscheduler = 1u << 8;
        public const uint Setclaim = 1u << 9;
        public const uint Cacheflush = 1u << 10;
        public const uint CreateHardwareDomain = 1u << 11;
        public const uint SetVnumainfo = 1u << 12;
        public const uint GetVnumainfo = 1u << 13;
        public const uint PsrCmtOp = 1u << 14;
        public const uint VmEvent = 1u << 15;
        public const uint SoftReset = 1u << 16;
        public const uint MemAccess = 1u << 17;
        public const uint MemPaging = 1u << 18;
        public const uint MemSharing = 1u << 19;
        public const uint PsrAlloc = 1u << 20;
        public const uint ResourceMap = 1u << 21;
        public const uint GetCpuPolicy = 1u << 22;
        public const uint VuartOp = 1u << 23;
        public const uint DtOverlay = 1u << 24;
        public const uint SetLlcColors = 1u << 25;
        public const uint GetDomainState = 1u << 26;
    }
    public static class Hvm
    {
        public const uint Sethvmc = 1u << 0;
        public const uint Gethvmc = 1u << 1;
        public const uint Setparam = 1u << 2;
        public const uint Getparam = 1u << 3;
        public const uint BindIrq = 1u << 4;
        public const uint Hvmctl = 1u << 5;
        public const uint MemSharing = 1u << 6;
        public const uint AuditP2m = 1u << 7;
        public const uint ShareMem = 1u << 8;
        public const uint Altp2mhvm = 1u << 9;
        public const uint Altp2mhvmOp = 1u << 10;
        public const uint Dm = 1u << 11;
    }
    public static class Mmu
    {
        public const uint MapRead = 1u << 0;
        public const uint MapWrite = 1u << 1;
        public const uint Pageinfo = 1u << 2;
        public const uint Adjust = 1u << 3;
        public const uint Stat = 1u << 4;
        public const uint Updatemp = 1u << 5;
        public const uint Physmap = 1u << 6;
        public const uint Pinpage = 1u << 7;
        public const uint Memorymap = 1u << 8;
        public const uint RemoteRemap = 1u << 9;
        public const uint MmuextOp = 1u << 10;
        public const uint Exchange = 1u << 11;
        public const uint TargetHack = 1u << 12;
    }
    public static class Resource
    {
        public const uint Add = 1u << 0;
        public const uint Remove = 1u << 1;
        public const uint Use = 1u << 2;
        public const uint UseIommu = 1u << 3;
        public const uint UseIommuNointremap = 1u << 4;
        public const uint UseNoiommu = 1u << 5;
        public const uint AddIrq = 1u << 6;
        public const uint RemoveIrq = 1u << 7;
        public const uint AddIoport = 1u << 8;
        public const uint RemoveIoport = 1u << 9;
        public const uint AddIomem = 1u << 10;
        public const uint RemoveIomem = 1u << 11;
        public const uint StatDevice = 1u << 12;
        public const uint AddDevice = 1u << 13;
        public const uint RemoveDevice = 1u << 14;
        public const uint Plug = 1u << 15;
        public const uint Unplug = 1u << 16;
        public const uint Setup = 1u << 17;
    }
    public static class Shadow
    {
        public const uint Disable = 1u << 0;
        public const uint Enable = 1u << 1;
        public const uint Logdirty = 1u << 2;
    }
    public static class Event
    {
        public const uint Bind = 1u << 0;
        public const uint Send = 1u << 1;
        public const uint Status = 1u << 2;
        public const uint Create = 1u << 3;
        public const uint Reset = 1u << 4;
    }
    public static class Grant
    {
        public const uint MapRead = 1u << 0;
        public const uint MapWrite = 1u << 1;
        public const uint Unmap = 1u << 2;
        public const uint Transfer = 1u << 3;
        public const uint Setup = 1u << 4;
        public const uint Copy = 1u << 5;
        public const uint Query = 1u << 6;
    }
    public static class Security
    {
        public const uint ComputeAv = 1u << 0;
        public const uint ComputeCreate = 1u << 1;
        public const uint ComputeMember = 1u << 2;
        public const uint CheckContext = 1u << 3;
        public const uint LoadPolicy = 1u << 4;
        public const uint ComputeRelabel = 1u << 5;
        public const uint Setenforce = 1u << 6;
        public const uint Setbool = 1u << 7;
        public const uint Setsecparam = 1u << 8;
        public const uint AddOcontext = 1u << 9;
        public const uint DelOcontext = 1u << 10;
    }
    public static class Version
    {
        public const uint XenExtraversion = 1u << 0;
        public const uint XenCompileInfo = 1u << 1;
        public const uint XenCapabilities = 1u << 2;
        public const uint XenChangeset = 1u << 3;
        public const uint XenPagesize = 1u << 4;
        public const uint XenGuestHandle = 1u << 5;
        public const uint XenCommandline = 1u << 6;
        public const uint XenBuildId = 1u << 7;
    }
    public static class Argo
    {
        public const uint Enable = 1u << 0;
        public const uint RegisterSingleSource = 1u << 1;
        public const uint RegisterAnySource = 1u << 2;
        public const uint Send = 1u << 3;
    }
}

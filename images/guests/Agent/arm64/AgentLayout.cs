// arm64: dom0's RAM is 64 MiB at 0x40000000 by default; shared_info, the window on
// the domU's RAM and its granted pages go at 1.5 GiB, still inside the 1-2 GiB block
// head.S maps as normal memory.
namespace XenLite.Guest
{
    public static class AgentLayout
    {
        /// <summary>sizeof(xen_domctl_getdomaininfo) with the arm xen_arch_domainconfig: the getdomaininfolist stride.</summary>
        public const int DomainInfoSize = 120;
        public const ulong SharedInfoGpfn = 0x60000, WindowGpfn = 0x61000, GrantGpfn = 0x62000;
    }
}

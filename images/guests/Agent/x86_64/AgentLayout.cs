// x86_64: where the agent maps shared_info and the domU's granted pages (above its RAM).
namespace XenLite.Guest
{
    public static class AgentLayout
    {
        /// <summary>sizeof(xen_domctl_getdomaininfo) with the x86 xen_arch_domainconfig: the getdomaininfolist stride.</summary>
        public const int DomainInfoSize = 112;
        public const ulong SharedInfoGpfn = 0x10000, GrantGpfn = 0x30000;
    }
}

namespace XenLite.Flask;

/// <summary>
/// The FLASK schema of Xen 4.22: the 13 classes of xen/xsm/flask/policy/security_classes and their
/// 177 permissions from access_vectors. Class index = SECCLASS_* minus one (Xen numbers classes from 1
/// in security_classes order); permission bit = position in the class (Xen: CLASS__PERM = 1 << position).
/// Names are NUL-separated literals so the image can print them without string work.
/// </summary>
public static class FlaskSchema
{
    public const int ClassCount = 13;
    public const int PermissionCount = 177;

    public const int ClassXen = 0;
    public const int ClassXen2 = 1;
    public const int ClassDomain = 2;
    public const int ClassDomain2 = 3;
    public const int ClassHvm = 4;
    public const int ClassMmu = 5;
    public const int ClassResource = 6;
    public const int ClassShadow = 7;
    public const int ClassEvent = 8;
    public const int ClassGrant = 9;
    public const int ClassSecurity = 10;
    public const int ClassVersion = 11;
    public const int ClassArgo = 12;

    /// <summary>Class names in index order, each followed by NUL.</summary>
    public const string ClassNames = "xen\0xen2\0domain\0domain2\0hvm\0mmu\0resource\0shadow\0event\0grant\0security\0version\0argo\0";

    /// <summary>Permission names of each class in bit order, each followed by NUL.</summary>
    public static string PermissionNames(int cls)
    {
        switch (cls)
        {
            case 0: return "settime\0tbufcontrol\0readconsole\0clearconsole\0perfcontrol\0mtrr_add\0mtrr_del\0mtrr_read\0microcode\0physinfo\0quirk\0writeconsole\0readapic\0writeapic\0kexec\0firmware\0sleep\0frequency\0getidle\0debug\0getcpuinfo\0heap\0pm_op\0mca_op\0lockprof\0cpupool_op\0hypfs_op\0getscheduler\0setscheduler\0";
            case 1: return "resource_op\0psr_cmt_op\0psr_alloc\0get_symbol\0pmu_ctrl\0pmu_use\0get_cpu_featureset\0livepatch_op\0coverage_op\0get_dom0_console\0";
            case 2: return "setvcpucontext\0pause\0unpause\0resume\0create\0transition\0max_vcpus\0destroy\0setaffinity\0getaffinity\0getscheduler\0getdomaininfo\0getvcpuinfo\0getvcpucontext\0setdomainmaxmem\0setdomainhandle\0setdebugging\0hypercall\0settime\0set_target\0shutdown\0setaddrsize\0getaddrsize\0trigger\0getpodtarget\0setpodtarget\0set_misc_info\0set_virq_handler\0getpagingmempool\0setpagingmempool\0";
            case 3: return "relabelfrom\0relabelto\0relabelself\0make_priv_for\0set_as_target\0set_cpu_policy\0gettsc\0settsc\0setscheduler\0setclaim\0cacheflush\0create_hardware_domain\0set_vnumainfo\0get_vnumainfo\0psr_cmt_op\0vm_event\0soft_reset\0mem_access\0mem_paging\0mem_sharing\0psr_alloc\0resource_map\0get_cpu_policy\0vuart_op\0dt_overlay\0set_llc_colors\0get_domain_state\0";
            case 4: return "sethvmc\0gethvmc\0setparam\0getparam\0bind_irq\0hvmctl\0mem_sharing\0audit_p2m\0share_mem\0altp2mhvm\0altp2mhvm_op\0dm\0";
            case 5: return "map_read\0map_write\0pageinfo\0adjust\0stat\0updatemp\0physmap\0pinpage\0memorymap\0remote_remap\0mmuext_op\0exchange\0target_hack\0";
            case 6: return "add\0remove\0use\0use_iommu\0use_iommu_nointremap\0use_noiommu\0add_irq\0remove_irq\0add_ioport\0remove_ioport\0add_iomem\0remove_iomem\0stat_device\0add_device\0remove_device\0plug\0unplug\0setup\0";
            case 7: return "disable\0enable\0logdirty\0";
            case 8: return "bind\0send\0status\0create\0reset\0";
            case 9: return "map_read\0map_write\0unmap\0transfer\0setup\0copy\0query\0";
            case 10: return "compute_av\0compute_create\0compute_member\0check_context\0load_policy\0compute_relabel\0setenforce\0setbool\0setsecparam\0add_ocontext\0del_ocontext\0";
            case 11: return "xen_extraversion\0xen_compile_info\0xen_capabilities\0xen_changeset\0xen_pagesize\0xen_guest_handle\0xen_commandline\0xen_build_id\0";
            case 12: return "enable\0register_single_source\0register_any_source\0send\0";
            default: return "";
        }
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Events;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Vcpus;

/// <summary>
/// Guest memory a vCPU asks the hypervisor to keep up to date: vcpu_info moved out of
/// shared_info, the runstate area and the time area, either by virtual address (rewritten with
/// copy-to-guest) or by physical address (mapped once, Xen's map_guest_area).
/// </summary>
public static unsafe class GuestAreas
{
    /// <summary>Xen's map_guest_area checks: within one page, xen_ulong_t aligned, a frame the domain owns.</summary>
    static int MapArea(Vcpu v, ulong gaddr, uint size, out byte* area)
    {
        area = null;
        if (gaddr == ulong.MaxValue) return 0;   // all-ones unregisters
        if (gaddr >> Page.Shift != (gaddr + size - 1) >> Page.Shift) return -Errno.ENXIO;
        if (gaddr % v.Domain.SharedInfo.Layout.WordAlign != 0) return -Errno.ENXIO;
        byte* page = GuestPage.Map(v.Domain, gaddr >> Page.Shift);
        if (page == null) return -Errno.EINVAL;
        area = page + (gaddr & Page.Mask);
        return 0;
    }

    /// <summary>
    /// VCPUOP_register_vcpu_info: once per vCPU. The current contents move along (or a fresh one
    /// with upcalls masked), then every selector bit is set and an upcall raised so that nothing
    /// pending is lost, and the time record is republished.
    /// </summary>
    public static int RegisterVcpuInfo(Vcpu caller, Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(caller, arg, out VcpuRegisterVcpuInfo info) != 0) return -Errno.EFAULT;
        ulong gaddr = (info.Mfn << Page.Shift) + info.Offset;
        if (gaddr == ulong.MaxValue || gaddr >> Page.Shift != info.Mfn) return -Errno.EINVAL;
        VcpuEvents ev = v.Events;
        if (ev.InfoRegistered) return -Errno.EBUSY;
        SharedLayout layout = v.Domain.SharedInfo.Layout;
        int rc = MapArea(v, gaddr, (uint)layout.VcpuInfoSize, out byte* area);
        if (rc != 0) return rc;

        VcpuInfoX86_64 copy = default;   // 64 bytes: the largest vcpu_info
        byte* tmp = (byte*)&copy;
        if (ev.Info != null)
            for (int i = 0; i < layout.VcpuInfoSize; i++) tmp[i] = ev.Info[i];
        else if (layout.UpcallMask >= 0)
            tmp[layout.UpcallMask] = 1;
        for (int i = 0; i < layout.VcpuInfoSize; i++) area[i] = tmp[i];
        ev.Info = area;
        ev.InfoRegistered = true;

        for (int i = 0; i < layout.BitsPerWord / 8; i++) area[layout.PendingSel + i] = 0xFF;
        Upcall.MarkEventsPending(v);
        VcpuTime.Update(v);
        return 0;
    }

    /// <summary>VCPUOP_register_runstate_memory_area: a guest address (32-bit handle for compat callers), written at once.</summary>
    public static int RegisterRunstate(Vcpu caller, Vcpu v, ulong arg, bool compat, ulong now)
    {
        ulong addr;
        if (compat)
        {
            if (GuestMemory.Read(caller, arg, out uint a32) != 0) return -Errno.EFAULT;
            addr = a32;
        }
        else if (GuestMemory.Read(caller, arg, out addr) != 0) return -Errno.EFAULT;
        uint size = compat ? (uint)sizeof(VcpuRunstateInfoCompat) : (uint)sizeof(VcpuRunstateInfo);
        if (!GuestMemory.RangeOkay(caller, addr, size)) return -Errno.EFAULT;

        VcpuOpState s = v.VcpuOp;
        s.RunstateGuest = addr;
        s.RunstateGuestCompat = compat;
        VcpuRunstateInfo r = v == caller ? Runstate.Recorded(v) : Runstate.Get(v, now);
        // A fault here is the guest's problem, as in Xen: the registration stands.
        if (compat) GuestMemory.Write(caller, addr, Runstate.ToCompat(r));
        else GuestMemory.Write(caller, addr, r);
        return 0;
    }

    /// <summary>VCPUOP_register_runstate_phys_area: a mapped area (re-registration replaces it; all-ones removes it).</summary>
    public static int RegisterRunstatePhys(Vcpu caller, Vcpu v, ulong arg, bool compat)
    {
        if (GuestMemory.Read(caller, arg, out ulong gaddr) != 0) return -Errno.EFAULT;
        uint size = compat ? (uint)sizeof(VcpuRunstateInfoCompat) : (uint)sizeof(VcpuRunstateInfo);
        int rc = MapArea(v, gaddr, size, out byte* area);
        if (rc != 0) return rc;
        VcpuOpState s = v.VcpuOp;
        s.RunstateArea = area;
        s.RunstateAreaCompat = compat;
        if (area != null && v == caller) Runstate.UpdateGuestAreas(v);
        return 0;
    }

    /// <summary>VCPUOP_register_vcpu_time_memory_area (x86): a second vcpu_time_info the guest may map to user space.</summary>
    public static int RegisterTime(Vcpu caller, Vcpu v, ulong arg, bool compat)
    {
        ulong addr;
        if (compat)
        {
            if (GuestMemory.Read(caller, arg, out uint a32) != 0) return -Errno.EFAULT;
            addr = a32;
        }
        else if (GuestMemory.Read(caller, arg, out addr) != 0) return -Errno.EFAULT;
        if (!GuestMemory.RangeOkay(caller, addr, (ulong)sizeof(VcpuTimeInfo))) return -Errno.EFAULT;
        v.VcpuOp.TimeGuest = addr;
        VcpuTime.Update(v);
        return 0;
    }

    /// <summary>VCPUOP_register_vcpu_time_phys_area (x86).</summary>
    public static int RegisterTimePhys(Vcpu caller, Vcpu v, ulong arg)
    {
        if (GuestMemory.Read(caller, arg, out ulong gaddr) != 0) return -Errno.EFAULT;
        int rc = MapArea(v, gaddr, (uint)sizeof(VcpuTimeInfo), out byte* area);
        if (rc != 0) return rc;
        v.VcpuOp.TimeArea = area;
        VcpuTime.Update(v);
        return 0;
    }
}

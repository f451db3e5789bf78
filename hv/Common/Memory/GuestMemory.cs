using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Memory;

/// <summary>
/// The only door to guest memory. Hypercall buffer addresses are guest-virtual, as in Xen: a PV
/// guest's are walked through its page tables (PvPageWalk, entries hold machine frames); an
/// HVM/PVH or arm guest's through the vCPU's own paging (<see cref="GuestPaging"/>, set by the
/// arch host: x86 CR0.PG/CR4.PAE/EFER.LMA/CR3, arm SCTLR_EL1.M/TCR_EL1/TTBRn_EL1), each table
/// frame and the final frame through the p2m. With paging off (or no arch host) the address is
/// guest-physical. Copies go page by page: a page that fails stops the copy with -EFAULT, the
/// pages before it keep what was written (as Xen's __hvm_copy / copy_guest). Every byte is
/// translated and checked; a hole, a foreign frame or an overflow gives -EFAULT.
/// <see cref="CopyToPhysical"/> is for the few guest-physical interfaces (the hypercall page MSR).
/// </summary>
public static unsafe class GuestMemory
{
    public static int CopyFrom(Vcpu v, ulong guestAddr, void* dst, ulong len) =>
        Walk(v, guestAddr, (byte*)dst, len, Access.Read);

    public static int CopyTo(Vcpu v, ulong guestAddr, void* src, ulong len) =>
        Walk(v, guestAddr, (byte*)src, len, Access.Write);

    public static int Clear(Vcpu v, ulong guestAddr, ulong len) =>
        Walk(v, guestAddr, null, len, Access.Clear);

    /// <summary>
    /// Writes at a guest-physical address of an HVM/PVH or arm domain, whatever its paging (Xen's
    /// hvm_copy_to_guest_phys): for interfaces that name a guest frame, not a buffer.
    /// </summary>
    public static int CopyToPhysical(Domain d, ulong gpa, void* src, ulong len)
    {
        if (len == 0) return 0;
        if (gpa + len - 1 < gpa) return -Errno.EFAULT;
        byte* buf = (byte*)src;
        while (len != 0)
        {
            byte* host = HostByte(d, new Gpa(gpa));
            if (host == null) return -Errno.EFAULT;
            ulong chunk = Page.Size - (gpa & Page.Mask);
            if (chunk > len) chunk = len;
            Copy(host, buf, chunk);
            buf += chunk;
            gpa += chunk;
            len -= chunk;
        }
        return 0;
    }

    public static int Read<T>(Vcpu v, ulong guestAddr, out T value) where T : unmanaged
    {
        T tmp;
        int rc = CopyFrom(v, guestAddr, &tmp, (ulong)sizeof(T));
        value = rc == 0 ? tmp : default;
        return rc;
    }

    public static int Write<T>(Vcpu v, ulong guestAddr, in T value) where T : unmanaged
    {
        T tmp = value;
        return CopyTo(v, guestAddr, &tmp, (ulong)sizeof(T));
    }

    /// <summary>Xen's guest_handle_okay: could [addr, addr+len) be guest memory at all?</summary>
    public static bool RangeOkay(Vcpu v, ulong guestAddr, ulong len)
    {
        if (len == 0) return true;
        ulong last = guestAddr + len - 1;
        if (last < guestAddr) return false;
        return !GuestModes.IsPv(v.Mode) || PvPageWalk.RangeAllowed(v.Mode, guestAddr, last);
    }

    enum Access { Read, Write, Clear }

    static int Walk(Vcpu v, ulong addr, byte* buf, ulong len, Access access)
    {
        if (len == 0) return 0;
        if (!RangeOkay(v, addr, len)) return -Errno.EFAULT;
        while (len != 0)
        {
            byte* host = Translate(v, addr, access != Access.Read);
            if (host == null) return -Errno.EFAULT;
            ulong chunk = Page.Size - (addr & Page.Mask);
            if (chunk > len) chunk = len;
            switch (access)
            {
                case Access.Read: Copy(buf, host, chunk); break;
                case Access.Write: Copy(host, buf, chunk); break;
                default: Fill(host, chunk); break;
            }
            if (buf != null) buf += chunk;
            addr += chunk;
            len -= chunk;
        }
        return 0;
    }

    /// <summary>Hypervisor pointer for one guest byte, or null when the guest may not touch it.</summary>
    static byte* Translate(Vcpu v, ulong addr, bool write)
    {
        Domain d = v.Domain;
        if (GuestModes.IsPv(v.Mode))
        {
            Mfn mfn = PvPageWalk.Translate(v, new Gva(addr), write);
            return MappedByte(d, mfn, addr);
        }
        Gpa gpa;
        GuestPaging paging = d.Hv.Paging;
        if (paging == null) gpa = new Gpa(addr);
        else if (!paging.ToGuestPhysical(v, addr, write, out gpa)) return null;
        return HostByte(d, gpa);
    }

    static byte* HostByte(Domain d, Gpa gpa) => MappedByte(d, d.P2m.Lookup(gpa.Frame), gpa.Value);

    static byte* MappedByte(Domain d, Mfn mfn, ulong addr)
    {
        if (!mfn.IsValid || d.Hv.Memory.OwnerOf(mfn) != d.Id) return null;
        byte* page = d.Hv.Memory.Map(mfn);
        return page == null ? null : page + (addr & Page.Mask);
    }

    // Eight bytes at a time, then the tail. Unaligned 8-byte access is fine on x86_64 and on arm64
    // (normal memory, MMU on). Guest pages and hypervisor buffers never overlap, so no memmove care.
    static void Copy(byte* dst, byte* src, ulong n)
    {
        ulong i = 0;
        for (; i + 8 <= n; i += 8) *(ulong*)(dst + i) = *(ulong*)(src + i);
        for (; i < n; i++) dst[i] = src[i];
    }

    static void Fill(byte* dst, ulong n)
    {
        ulong i = 0;
        for (; i + 8 <= n; i += 8) *(ulong*)(dst + i) = 0;
        for (; i < n; i++) dst[i] = 0;
    }
}

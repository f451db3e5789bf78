using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Memory;

/// <summary>
/// The only door to guest memory. Addresses are guest-physical for HVM and arm guests and
/// guest-virtual for PV guests (walked through the guest's page tables). Every byte is
/// translated and checked; a hole, a foreign frame or an overflow gives -EFAULT.
/// </summary>
public static unsafe class GuestMemory
{
    public static int CopyFrom(Vcpu v, ulong guestAddr, void* dst, ulong len) =>
        Walk(v, guestAddr, (byte*)dst, len, Access.Read);

    public static int CopyTo(Vcpu v, ulong guestAddr, void* src, ulong len) =>
        Walk(v, guestAddr, (byte*)src, len, Access.Write);

    public static int Clear(Vcpu v, ulong guestAddr, ulong len) =>
        Walk(v, guestAddr, null, len, Access.Clear);

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
        Mfn mfn;
        if (GuestModes.IsPv(v.Mode))
        {
            mfn = PvPageWalk.Translate(v, new Gva(addr), write);
        }
        else
        {
            var gpa = new Gpa(addr);
            mfn = d.P2m.Lookup(gpa.Frame);
        }
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

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Domctl;

/// <summary>
/// Xen's bitmap_to_xenctl_bitmap / xenctl_bitmap_to_bitmap for CPU masks of up to 64 CPUs:
/// copy as many bytes as both sides have, zero the rest of the guest's buffer, and ignore bits
/// beyond the guest's nr_bits.
/// </summary>
public static unsafe class XenctlBitmaps
{
    public static int ToGuest(Vcpu caller, in XenctlBitmap b, ulong mask, uint nbits)
    {
        uint guestBytes = (b.NrBits + 7) / 8;
        uint ourBytes = (nbits + 7) / 8;
        if (nbits < 64) mask &= (1UL << (int)nbits) - 1;
        byte zero = 0;
        for (uint i = 0; i < guestBytes; i++)
        {
            byte v = i < ourBytes ? (byte)(mask >> (int)(i * 8)) : zero;
            if (GuestMemory.CopyTo(caller, b.Bitmap + i, &v, 1) != 0) return -Errno.EFAULT;
        }
        return 0;
    }

    public static int FromGuest(Vcpu caller, in XenctlBitmap b, uint nbits, out ulong mask)
    {
        mask = 0;
        uint guestBytes = (b.NrBits + 7) / 8;
        uint ourBytes = (nbits + 7) / 8;
        uint copy = guestBytes < ourBytes ? guestBytes : ourBytes;
        for (uint i = 0; i < copy; i++)
        {
            byte v;
            if (GuestMemory.CopyFrom(caller, b.Bitmap + i, &v, 1) != 0) return -Errno.EFAULT;
            if (i == guestBytes - 1 && (b.NrBits & 7) != 0) v &= (byte)~(0xFF << (int)(b.NrBits & 7));
            mask |= (ulong)v << (int)(i * 8);
        }
        if (nbits < 64) mask &= (1UL << (int)nbits) - 1;
        return 0;
    }
}

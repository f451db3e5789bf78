using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Fills the page a guest names through MSR 0x40000000 with SVM hypercall stubs, as Xen's
/// init_hypercall_page + svm_init_hypercall_page: 128 slots of 32 bytes, slot n holding
/// `mov $n,%eax; vmmcall; ret`, the rest int3; the iret slot holds ud2 (HVM has no iret hypercall).
/// </summary>
public static unsafe class HypercallPageWriter
{
    public const int SlotSize = 32;
    public const int Slots = (int)(Page.Size / SlotSize);
    const int IretSlot = 23; // __HYPERVISOR_iret

    /// <summary>False (the caller injects #GP) when the value has a page index or names no page of the guest.</summary>
    public static bool Install(Vcpu v, ulong value)
    {
        if ((value & Page.Mask) != 0) return false;
        byte* slot = stackalloc byte[SlotSize];
        for (int n = 0; n < Slots; n++)
        {
            FillSlot(slot, n);
            // One page: the first slot decides, later slots cannot fail where it succeeded.
            if (GuestMemory.CopyTo(v, value + (ulong)(n * SlotSize), slot, SlotSize) != 0) return false;
        }
        return true;
    }

    static void FillSlot(byte* p, int n)
    {
        for (int i = 0; i < SlotSize; i++) p[i] = 0xCC;
        if (n == IretSlot)
        {
            p[0] = 0x0F; p[1] = 0x0B; // ud2
            return;
        }
        p[0] = 0xB8; // mov imm32, %eax
        p[1] = (byte)n; p[2] = (byte)(n >> 8); p[3] = (byte)(n >> 16); p[4] = (byte)(n >> 24);
        p[5] = 0x0F; p[6] = 0x01; p[7] = 0xD9; // vmmcall
        p[8] = 0xC3; // ret
    }
}

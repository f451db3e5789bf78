using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Fills the page a guest names through MSR 0x40000000 with hypercall stubs, as Xen's
/// init_hypercall_page + svm_init_hypercall_page / vmx_init_hypercall_page: 128 slots of 32
/// bytes, slot n holding `mov $n,%eax; vmmcall; ret` (SVM) or `mov $n,%eax; vmcall; ret` (VMX),
/// the rest int3; the iret slot holds ud2 (HVM has no iret hypercall).
/// </summary>
public static unsafe class HypercallPageWriter
{
    public const int SlotSize = 32;
    public const int Slots = (int)(Page.Size / SlotSize);
    const int IretSlot = 23; // __HYPERVISOR_iret

    /// <summary>
    /// False (the caller injects #GP) when the value has a page index or names no page of the guest.
    /// The value is a guest-physical address (a frame), whatever the vCPU's paging.
    /// </summary>
    public static bool Install(Vcpu v, ulong value, bool vmcall = false)
    {
        if ((value & Page.Mask) != 0) return false;
        byte* slot = stackalloc byte[SlotSize];
        for (int n = 0; n < Slots; n++)
        {
            FillSlot(slot, n, vmcall);
            // One page: the first slot decides, later slots cannot fail where it succeeded.
            if (GuestMemory.CopyToPhysical(v.Domain, value + (ulong)(n * SlotSize), slot, SlotSize) != 0) return false;
        }
        return true;
    }

    /// <summary>
    /// A 64-bit PV guest's page (Xen's pv_ring3_init_hypercall_page): slot n holds
    /// `push %rcx; push %r11; mov $n,%eax; syscall; pop %r11; pop %rcx; ret`; the iret slot
    /// `push %rcx; push %r11; push %rax; mov $23,%eax; syscall` (guests jump to it); the rest int3.
    /// </summary>
    public static void FillPv64(byte* page)
    {
        for (int i = 0; i < (int)Page.Size; i++) page[i] = 0xCC;
        for (int n = 0; n < Slots; n++)
        {
            byte* p = page + n * SlotSize;
            int k = 0;
            p[k++] = 0x51;                    // push %rcx
            p[k++] = 0x41; p[k++] = 0x53;     // push %r11
            if (n == IretSlot) p[k++] = 0x50; // push %rax
            p[k++] = 0xB8;                    // mov imm32, %eax
            p[k++] = (byte)n; p[k++] = (byte)(n >> 8); p[k++] = (byte)(n >> 16); p[k++] = (byte)(n >> 24);
            p[k++] = 0x0F; p[k++] = 0x05;     // syscall
            if (n == IretSlot) continue;
            p[k++] = 0x41; p[k++] = 0x5B;     // pop %r11
            p[k++] = 0x59;                    // pop %rcx
            p[k] = 0xC3;                      // ret
        }
    }

    /// <summary>
    /// A 32-bit PV guest's page (Xen's ring-1 page): slot n holds `mov $n,%eax; int $0x82; ret`;
    /// the iret slot `push %eax; mov $23,%eax; int $0x82` (guests jump to it); the rest int3.
    /// </summary>
    public static void FillPv32(byte* page)
    {
        for (int i = 0; i < (int)Page.Size; i++) page[i] = 0xCC;
        for (int n = 0; n < Slots; n++)
        {
            byte* p = page + n * SlotSize;
            int k = 0;
            if (n == IretSlot) p[k++] = 0x50; // push %eax
            p[k++] = 0xB8;                    // mov imm32, %eax
            p[k++] = (byte)n; p[k++] = (byte)(n >> 8); p[k++] = (byte)(n >> 16); p[k++] = (byte)(n >> 24);
            p[k++] = 0xCD; p[k++] = PvInt82Gate.Vector; // int $0x82
            if (n != IretSlot) p[k] = 0xC3;   // ret
        }
    }

    /// <summary>Slot <paramref name="n"/> of an HVM page: the SVM stub, or the VMX one with <paramref name="vmcall"/>.</summary>
    public static void FillSlot(byte* p, int n, bool vmcall)
    {
        for (int i = 0; i < SlotSize; i++) p[i] = 0xCC;
        if (n == IretSlot)
        {
            p[0] = 0x0F; p[1] = 0x0B; // ud2
            return;
        }
        p[0] = 0xB8; // mov imm32, %eax
        p[1] = (byte)n; p[2] = (byte)(n >> 8); p[3] = (byte)(n >> 16); p[4] = (byte)(n >> 24);
        p[5] = 0x0F; p[6] = 0x01; p[7] = vmcall ? (byte)0xC1 : (byte)0xD9; // vmcall / vmmcall
        p[8] = 0xC3; // ret
    }
}

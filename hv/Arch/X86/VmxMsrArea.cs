using System.Runtime.InteropServices;

namespace XenLite.Hv.Arch.X86;

/// <summary>One entry of a VM-entry/VM-exit MSR area (SDM vol. 3, 25.7.2, 25.8.2): MSR index, reserved, value; 16 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct VmxMsrEntry
{
    [FieldOffset(0)] public uint Index;
    [FieldOffset(4)] public uint Reserved;
    [FieldOffset(8)] public ulong Value;
}

/// <summary>
/// The MSRs VMX does not switch by itself and SVM's VMLOAD/VMSAVE do: KERNEL_GS_BASE, STAR,
/// LSTAR, CSTAR and SFMASK. Each vCPU has one page: at 0 the guest list, which is both the
/// VM-entry MSR-load area (the guest's values go into the CPU with the entry) and the VM-exit
/// MSR-store area (what the CPU held comes back at the exit); at <see cref="HostOffset"/> the
/// host list, the VM-exit MSR-load area (the host's values, read once at set-up).
///
/// Why the VMCS areas rather than RDMSR/WRMSR around VMLAUNCH/VMRESUME in vmx.S: the CPU swaps
/// them as part of the entry and the exit, so no host code — an NMI, or the timer interrupt the
/// stub takes in its `sti; nop; cli` window — ever runs with the guest's values, and the store
/// catches KERNEL_GS_BASE after a guest SWAPGS (which changes it without an exit). The lists are
/// plain data the hosted fake CPU plays as hardware would, so the swap is tested without booting,
/// and the world switch stays unchanged. The cost: five MSR loads on each entry and five stores
/// plus five loads on each exit, even while the guest's values equal the host's (an explicit swap
/// could skip those; with a 64-bit guest that has set up SYSCALL they all differ anyway).
/// </summary>
public static unsafe class VmxMsrArea
{
    public const int Count = 5;
    /// <summary>Byte offset of the host list in the page.</summary>
    public const uint HostOffset = 0x800;

    /// <summary>Fills both lists (indexes; host values from the CPU) and points the current VMCS at them.</summary>
    public static void Setup(X86Cpu cpu, VmxMsrEntry* page, ulong pageMaddr)
    {
        VmxMsrEntry* host = page + HostOffset / 16;
        Index(page, host, 0, SvmMsrs.KernelGsBase);
        Index(page, host, 1, SvmMsrs.Star);
        Index(page, host, 2, SvmMsrs.Lstar);
        Index(page, host, 3, SvmMsrs.Cstar);
        Index(page, host, 4, SvmMsrs.Sfmask);
        for (int i = 0; i < Count; i++) host[i].Value = cpu.ReadMsr(host[i].Index);
        cpu.VmWrite(VmcsField.EntryMsrLoadAddress, pageMaddr);
        cpu.VmWrite(VmcsField.EntryMsrLoadCount, Count);
        cpu.VmWrite(VmcsField.ExitMsrStoreAddress, pageMaddr);
        cpu.VmWrite(VmcsField.ExitMsrStoreCount, Count);
        cpu.VmWrite(VmcsField.ExitMsrLoadAddress, pageMaddr + HostOffset);
        cpu.VmWrite(VmcsField.ExitMsrLoadCount, Count);
    }

    /// <summary>The record's values into the guest list (before an entry).</summary>
    public static void ToArea(Vmcb* g, VmxMsrEntry* guest)
    {
        guest[0].Value = g->KernelGsBase;
        guest[1].Value = g->Star;
        guest[2].Value = g->Lstar;
        guest[3].Value = g->Cstar;
        guest[4].Value = g->Sfmask;
    }

    /// <summary>The guest list, as the exit stored it, back into the record.</summary>
    public static void FromArea(Vmcb* g, VmxMsrEntry* guest)
    {
        g->KernelGsBase = guest[0].Value;
        g->Star = guest[1].Value;
        g->Lstar = guest[2].Value;
        g->Cstar = guest[3].Value;
        g->Sfmask = guest[4].Value;
    }

    static void Index(VmxMsrEntry* guest, VmxMsrEntry* host, int i, uint msr)
    {
        guest[i] = new VmxMsrEntry { Index = msr };
        host[i] = new VmxMsrEntry { Index = msr };
    }
}

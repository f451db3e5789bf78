using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Fills a VMCB: the control area every guest vCPU shares (intercepts, maps, ASID, nested
/// paging) and the register state a PVH guest is entered with.
/// </summary>
public static unsafe class SvmSetup
{
    /// <summary>
    /// Xen's construct_vmcb list, less what nested paging and our model make pointless: CRs, DRs
    /// and exceptions stay the guest's own (its paging cannot reach the host), INVLPG is not
    /// needed with nested tables, and TASK_SWITCH/ICEBP are left to the hardware.
    /// </summary>
    public const uint Intercepts1 =
        SvmIntercept1.Intr | SvmIntercept1.Nmi | SvmIntercept1.Smi | SvmIntercept1.Init |
        SvmIntercept1.Cpuid | SvmIntercept1.Invd | SvmIntercept1.Hlt | SvmIntercept1.Invlpga |
        SvmIntercept1.IoioProt | SvmIntercept1.MsrProt | SvmIntercept1.Shutdown;

    public const uint Intercepts2 =
        SvmIntercept2.Vmrun | SvmIntercept2.Vmmcall | SvmIntercept2.Vmload | SvmIntercept2.Vmsave |
        SvmIntercept2.Stgi | SvmIntercept2.Clgi | SvmIntercept2.Skinit | SvmIntercept2.Wbinvd |
        SvmIntercept2.Monitor | SvmIntercept2.Mwait | SvmIntercept2.Xsetbv | SvmIntercept2.Rdpru;

    const ulong VIntrMasking = 1UL << 24;
    const ulong NpEnable = 1;
    /// <summary>The PAT reset value (MSR_IA32_CR_PAT_RESET): WB, WT, UC-, UC, repeated.</summary>
    public const ulong PatReset = 0x0007_0406_0007_0406;

    public static void Control(SvmHost host, Domain d, Vmcb* vmcb)
    {
        vmcb->Intercepts1 = Intercepts1;
        vmcb->Intercepts2 = Intercepts2;
        vmcb->IopmBasePa = host.IopmMaddr;
        vmcb->MsrpmBasePa = host.MsrpmMaddr;
        vmcb->Asid = d.X86.Asid;
        // Guest EFLAGS.IF masks only virtual interrupts; host interrupts still exit.
        vmcb->VIntr = VIntrMasking;
        vmcb->NpControl = NpEnable;
        vmcb->NCr3 = d.X86.NptRoot.ToMaddr().Value;
        vmcb->GPat = PatReset;
        // A PV guest's hypercalls: SYSCALL with EFER.SCE clear raises #UD, which exits (PvSyscallGate);
        // INT n exits before the guest's (absent) IDT is consulted (PvInt82Gate).
        bool pv = GuestModes.IsPv(d.Mode);
        vmcb->ExceptionIntercepts = pv ? 1u << SvmEvent.VectorUd : 0;
        if (pv) vmcb->Intercepts1 |= SvmIntercept1.Intn;
    }

    // Xen's PVH start (dom0_build.c pvh_setup_cpus, hvm/domain.c): selectors 0, flat 4 GiB
    // segments, code 0xc9b (32-bit, exec/read, accessed), data 0xc93, TR a busy 32-bit TSS.
    public const ushort CodeAttrib = 0xC9B, DataAttrib = 0xC93, TssAttrib = 0x08B;
    const uint TssLimit = 0x67;

    /// <summary>
    /// Enters a PVH kernel as Xen does: 32-bit protected mode with paging off, EIP at its
    /// XEN_ELFNOTE_PHYS32_ENTRY and EBX the guest-physical address of its hvm_start_info.
    /// </summary>
    public static void PvhEntry(Vcpu v, uint entry, uint startInfoGpa)
    {
        Vmcb* vmcb = v.X86.Vmcb;
        Flat(&vmcb->Cs, CodeAttrib);
        Flat(&vmcb->Ds, DataAttrib);
        Flat(&vmcb->Es, DataAttrib);
        Flat(&vmcb->Ss, DataAttrib);
        Flat(&vmcb->Fs, DataAttrib);
        Flat(&vmcb->Gs, DataAttrib);
        vmcb->Tr = new VmcbSegment { Attrib = TssAttrib, Limit = TssLimit };
        vmcb->Ldtr = default;
        vmcb->Gdtr = default;
        vmcb->Idtr = default;
        vmcb->Cpl = 0;
        vmcb->Cr0 = X86Bits.Cr0Pe | X86Bits.Cr0Et;
        vmcb->Cr3 = 0;
        vmcb->Cr4 = 0;
        // SVME must be set in the guest's EFER for VMRUN to accept it; the guest never sees it.
        vmcb->Efer = X86Bits.EferSvme;
        vmcb->Dr6 = 0xFFFF_0FF0;
        vmcb->Dr7 = 0x400;

        v.Regs = default;
        v.Regs.Ip = entry;
        v.Regs.Flags = X86Bits.RflagsFixed;
        v.Regs[X86Reg.Rbx] = startInfoGpa;
        v.Mode = GuestMode.Hvm32;
        v.IsUp = true;
    }

    // A 64-bit PV kernel runs in ring 3 with Xen's flat selectors (arch-x86/xen-x86_64.h):
    // CS FLAT_KERNEL_CS64 0xe033 (64-bit code, DPL 3), SS FLAT_KERNEL_SS64 0xe02b (data, DPL 3),
    // DS/ES/FS/GS the null selector FLAT_KERNEL_DS64.
    public const ushort PvCs64 = 0xE033, PvSs64 = 0xE02B;
    public const ushort PvCodeAttrib = 0xAFB, PvDataAttrib = 0xCF3;

    /// <summary>
    /// Enters a 64-bit PV kernel as Xen's dom0_construct_pv does, inside the SVM container: long
    /// mode with paging on its bootstrap tables (CR3 = the L4's machine address, which nested
    /// paging maps 1:1), CPL 3, rip = entry, rsp = stack top, rsi = start_info, RFLAGS.IF set,
    /// every other register zero. EFER.SCE stays clear, so the hypercall page's syscall raises
    /// #UD and exits to the PV gate.
    /// </summary>
    public static void Pv64Entry(Vcpu v, in PvBoot boot)
    {
        Vmcb* vmcb = v.X86.Vmcb;
        Flat(&vmcb->Cs, PvCodeAttrib);
        vmcb->Cs.Selector = PvCs64;
        Flat(&vmcb->Ss, PvDataAttrib);
        vmcb->Ss.Selector = PvSs64;
        vmcb->Ds = default;
        vmcb->Es = default;
        vmcb->Fs = default;
        vmcb->Gs = default;
        PvEntry(v, boot, 3, X86Bits.EferLme | X86Bits.EferLma | X86Bits.EferNxe | X86Bits.EferSvme, GuestMode.Pv64);
    }

    // A 32-bit PV kernel runs in ring 1 with Xen's compat selectors (arch-x86/xen-x86_32.h):
    // CS FLAT_RING1_CS 0xe019 (32-bit code, DPL 1), DS/ES/FS/GS/SS FLAT_RING1_DS 0xe021 (data, DPL 1).
    public const ushort PvCs32 = 0xE019, PvDs32 = 0xE021;
    public const ushort Pv32CodeAttrib = 0xCBB, Pv32DataAttrib = 0xCB3;

    /// <summary>
    /// Enters a 32-bit PV (compat) kernel as Xen's dom0_construct_pv does, inside the SVM
    /// container: 32-bit protected mode with PAE paging on its bootstrap tables (CR3 = the L3's
    /// machine address), CPL 1, eip = entry, esp = stack top, esi = start_info, EFLAGS.IF set,
    /// every other register zero. Its hypercall page's `int $0x82` exits (INTn intercept) to the
    /// PV gate.
    /// </summary>
    public static void Pv32Entry(Vcpu v, in PvBoot boot)
    {
        Vmcb* vmcb = v.X86.Vmcb;
        Flat(&vmcb->Cs, Pv32CodeAttrib);
        vmcb->Cs.Selector = PvCs32;
        VmcbSegment* data = &vmcb->Ds;
        Flat(data, Pv32DataAttrib);
        data->Selector = PvDs32;
        vmcb->Es = *data;
        vmcb->Fs = *data;
        vmcb->Gs = *data;
        vmcb->Ss = *data;
        PvEntry(v, boot, 1, X86Bits.EferNxe | X86Bits.EferSvme, GuestMode.Pv32);
    }

    /// <summary>What both PV entries share: no TSS/LDT/GDT/IDT of the guest's yet, paging on its
    /// bootstrap tables (PAE/long mode per <paramref name="efer"/>), rip/rsp/rsi from the builder.</summary>
    static void PvEntry(Vcpu v, in PvBoot boot, byte cpl, ulong efer, GuestMode mode)
    {
        Vmcb* vmcb = v.X86.Vmcb;
        vmcb->Tr = new VmcbSegment { Attrib = TssAttrib, Limit = TssLimit };
        vmcb->Ldtr = default;
        vmcb->Gdtr = default;
        vmcb->Idtr = default;
        vmcb->Cpl = cpl;
        vmcb->Cr0 = X86Bits.Cr0Pe | X86Bits.Cr0Mp | X86Bits.Cr0Et | X86Bits.Cr0Ne | X86Bits.Cr0Wp | X86Bits.Cr0Pg;
        vmcb->Cr3 = boot.PageTable.Value;
        vmcb->Cr4 = X86Bits.Cr4Pae | X86Bits.Cr4Osfxsr | X86Bits.Cr4Osxmmexcpt;
        vmcb->Efer = efer;
        vmcb->Dr6 = 0xFFFF_0FF0;
        vmcb->Dr7 = 0x400;

        v.Regs = default;
        v.Regs.Ip = boot.Entry;
        v.Regs.Flags = X86Bits.RflagsFixed | X86Bits.RflagsIf;
        v.Regs[X86Reg.Rsp] = boot.StackTop;
        v.Regs[X86Reg.Rsi] = boot.StartInfo;
        v.Regs.PageTableBase = boot.PageTable.Value;
        v.Mode = mode;
        v.IsUp = true;
    }

    static void Flat(VmcbSegment* s, ushort attrib)
    {
        s->Selector = 0;
        s->Attrib = attrib;
        s->Limit = uint.MaxValue;
        s->Base = 0;
    }
}

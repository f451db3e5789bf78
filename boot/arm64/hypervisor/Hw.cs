// Bindings to the hypervisor image's assembly (world.S, el2.S, gic.S).
using System.Runtime;
using System.Runtime.CompilerServices;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;

namespace XenLite.Image
{
    public static unsafe class Hw
    {
        const MethodImplOptions Asm = MethodImplOptions.InternalCall;

        [MethodImpl(Asm), RuntimeImport("*", "xl_guest_run")] public static extern void GuestRun(RegisterFile* regs, GuestContext* ctx);
        [MethodImpl(Asm), RuntimeImport("*", "xl_el1_save")] public static extern void El1Save(GuestContext* ctx);
        [MethodImpl(Asm), RuntimeImport("*", "xl_el1_load")] public static extern void El1Load(GuestContext* ctx);
        [MethodImpl(Asm), RuntimeImport("*", "xl_el1_read")] public static extern ulong El1Read(ulong index);
        [MethodImpl(Asm), RuntimeImport("*", "xl_el1_write")] public static extern void El1Write(ulong index, ulong value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_load_world")] public static extern void LoadWorld(ulong vttbr, ulong hcr, ulong cntvoff, ulong vmpidr, ulong vpidr);
        [MethodImpl(Asm), RuntimeImport("*", "xl_enable_virt")] public static extern void EnableVirt(ulong vtcr, ulong cnthctl);
        [MethodImpl(Asm), RuntimeImport("*", "xl_flush_guest_tlb")] public static extern void FlushGuestTlb(ulong vttbr);
        [MethodImpl(Asm), RuntimeImport("*", "xl_set_hyp_timer")] public static extern void SetHypTimer(ulong count);
        [MethodImpl(Asm), RuntimeImport("*", "xl_read_cntpct_hv")] public static extern ulong Counter();
        [MethodImpl(Asm), RuntimeImport("*", "xl_set_hv_vectors")] public static extern void SetVectors(ulong vbar);
        [MethodImpl(Asm), RuntimeImport("*", "xl_hv_vectors_address")] public static extern ulong VectorsAddress();

        [MethodImpl(Asm), RuntimeImport("*", "xl_gic3_init_cpu")] public static extern void Gic3InitCpu();
        [MethodImpl(Asm), RuntimeImport("*", "xl_gic3_ack")] public static extern ulong Gic3Ack();
        [MethodImpl(Asm), RuntimeImport("*", "xl_gic3_eoi")] public static extern void Gic3Eoi(ulong intid);
        [MethodImpl(Asm), RuntimeImport("*", "xl_gic3_vtr")] public static extern ulong Gic3Vtr();
        [MethodImpl(Asm), RuntimeImport("*", "xl_gic3_read_vmcr")] public static extern ulong Gic3ReadVmcr();
        [MethodImpl(Asm), RuntimeImport("*", "xl_gic3_write_vmcr")] public static extern void Gic3WriteVmcr(ulong value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_gic3_read_apr")] public static extern ulong Gic3ReadApr();
        [MethodImpl(Asm), RuntimeImport("*", "xl_gic3_write_apr")] public static extern void Gic3WriteApr(ulong value);
        [MethodImpl(Asm), RuntimeImport("*", "xl_gic3_read_lr")] public static extern ulong Gic3ReadLr(ulong index);
        [MethodImpl(Asm), RuntimeImport("*", "xl_gic3_write_lr")] public static extern void Gic3WriteLr(ulong index, ulong value);
    }
}

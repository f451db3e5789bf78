using XenLite.Hv.Abi;

namespace XenLite.Hv.Common.Vcpus;

/// <summary>
/// VCPUOP_initialise for HVM vCPUs (Xen's arch_set_info_hvm_guest): checks a vcpu_hvm_context
/// and loads it: general registers, rip/rflags into the register file, control registers and
/// segment caches into <see cref="HvmStartState"/>. The vCPU stays down until VCPUOP_up.
/// </summary>
public static class HvmInitialise
{
    const ulong EflagsAll = 0x003F_7FD7;   // X86_EFLAGS_ALL: every defined flag bit
    const ulong EflagsMbs = 0x2;           // bit 1 always reads 1
    const ulong Cr0Pg = 1UL << 31;
    const ulong Cr4Pae = 1UL << 5;
    const ulong EferLme = 1UL << 8, EferLma = 1UL << 10;
    /// <summary>EFER bits a guest may set: SCE, LME, LMA, NXE, SVME, LMSLE, FFXSR.</summary>
    const ulong EferValid = 1UL | EferLme | EferLma | (1UL << 11) | (1UL << 12) | (1UL << 13) | (1UL << 14);
    /// <summary>CR4 bits our guests may set (VME…OSXMMEXCPT, UMIP, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP).</summary>
    const ulong Cr4Valid = 0x7FF | (1UL << 11) | (1UL << 16) | (1UL << 17) | (1UL << 18) | (1UL << 20) | (1UL << 21);

    enum Seg { Cs, Ds, Ss, Es, Tr }

    public static unsafe int Load(Vcpu v, in VcpuHvmContext ctx)
    {
        if (ctx.Pad != 0) return -Errno.EINVAL;
        HvmStartState st = default;
        ref RegisterFile regs = ref v.Regs;
        ulong rip, rflags;
        switch (ctx.Mode)
        {
            case VcpuHvmContext.Mode32:
            {
                VcpuHvmX86_32 r = ctx.X86_32;
                if (r.Pad1 != 0 || r.Pad2[0] != 0 || r.Pad2[1] != 0 || r.Pad2[2] != 0) return -Errno.EINVAL;
                st.Cs = Segment(r.CsBase, r.CsLimit, r.CsAr);
                st.Ds = Segment(r.DsBase, r.DsLimit, r.DsAr);
                st.Ss = Segment(r.SsBase, r.SsLimit, r.SsAr);
                st.Es = Segment(r.EsBase, r.EsLimit, r.EsAr);
                st.Tr = new SegmentCache { Base = r.TrBase, Limit = r.TrLimit, Attr = (ushort)(r.TrAr | 2) };
                int bad = Check(st.Cs, Seg.Cs) | Check(st.Ds, Seg.Ds) | Check(st.Ss, Seg.Ss) | Check(st.Es, Seg.Es) | Check(st.Tr, Seg.Tr);
                if (bad != 0) return -Errno.EINVAL;
                ulong limit = st.Cs.Limit;
                if ((st.Cs.Attr & 0x800) != 0) limit = (limit << 12) | 0xFFF;
                if (r.Eip > limit) return -Errno.EINVAL;
                if (Dpl(st.Ss) != Dpl(st.Cs)) return -Errno.EINVAL;
                if (Present(st.Ds) && Dpl(st.Ds) > Dpl(st.Cs)) return -Errno.EINVAL;
                if (Present(st.Es) && Dpl(st.Es) > Dpl(st.Cs)) return -Errno.EINVAL;
                if ((r.Efer & EferLma) != 0 && (r.Efer & EferLme) == 0) return -Errno.EINVAL;
                st.Cr0 = r.Cr0; st.Cr3 = r.Cr3; st.Cr4 = r.Cr4; st.Efer = r.Efer;
                if (!Valid(ref st)) return -Errno.EINVAL;
                regs[X86Reg.Rax] = r.Eax; regs[X86Reg.Rcx] = r.Ecx; regs[X86Reg.Rdx] = r.Edx; regs[X86Reg.Rbx] = r.Ebx;
                regs[X86Reg.Rsp] = r.Esp; regs[X86Reg.Rbp] = r.Ebp; regs[X86Reg.Rsi] = r.Esi; regs[X86Reg.Rdi] = r.Edi;
                rip = r.Eip;
                rflags = r.Eflags;
                break;
            }
            case VcpuHvmContext.Mode64:
            {
                VcpuHvmX86_64 r = ctx.X86_64;
                if (!Canonical(r.Rip)) return -Errno.EINVAL;
                if ((r.Cr0 & Cr0Pg) == 0 || (r.Cr4 & Cr4Pae) == 0 || (r.Efer & EferLme) == 0) return -Errno.EINVAL;
                st.Cr0 = r.Cr0; st.Cr3 = r.Cr3; st.Cr4 = r.Cr4; st.Efer = r.Efer;
                if (!Valid(ref st)) return -Errno.EINVAL;
                // Long mode implies flat segments: a 64-bit code segment, flat data, a busy 64-bit TSS.
                st.Cs = new SegmentCache { Limit = ~0u, Attr = 0xA9B };
                st.Ds = st.Ss = st.Es = new SegmentCache { Limit = ~0u, Attr = 0xC93 };
                st.Tr = new SegmentCache { Limit = 0x67, Attr = 0x8B };
                regs[X86Reg.Rax] = r.Rax; regs[X86Reg.Rcx] = r.Rcx; regs[X86Reg.Rdx] = r.Rdx; regs[X86Reg.Rbx] = r.Rbx;
                regs[X86Reg.Rsp] = r.Rsp; regs[X86Reg.Rbp] = r.Rbp; regs[X86Reg.Rsi] = r.Rsi; regs[X86Reg.Rdi] = r.Rdi;
                rip = r.Rip;
                rflags = r.Rflags;
                break;
            }
            default:
                return -Errno.EINVAL;
        }
        regs.Ip = rip;
        regs.Flags = (rflags & EflagsAll) | EflagsMbs;
        v.VcpuOp.Hvm = st;
        v.VcpuOp.Initialised = true;
        v.IsUp = false;
        return 0;
    }

    /// <summary>LME implies LMA once loaded; CR4 and EFER may only carry bits we offer.</summary>
    static bool Valid(ref HvmStartState st)
    {
        if ((st.Efer & EferLme) != 0) st.Efer |= EferLma;
        return (st.Cr4 & ~Cr4Valid) == 0 && (st.Efer & ~EferValid) == 0;
    }

    /// <summary>A flat segment from base/limit/attributes; present segments get the accessed bit.</summary>
    static SegmentCache Segment(uint b, uint limit, ushort ar)
    {
        var s = new SegmentCache { Base = b, Limit = limit, Attr = ar };
        if (Present(s)) s.Attr |= 1;
        return s;
    }

    static bool Present(in SegmentCache s) => (s.Attr & 0x80) != 0;
    static int Dpl(in SegmentCache s) => (s.Attr >> 5) & 3;

    /// <summary>Xen's check_segment: 0 when the attributes suit the register, else 1.</summary>
    static int Check(in SegmentCache s, Seg seg)
    {
        int type = s.Attr & 0xF;
        bool codeOrData = (s.Attr & 0x10) != 0;
        if ((s.Attr & 0xF000) != 0) return 1;
        if (s.Attr == 0) return seg == Seg.Ds || seg == Seg.Es ? 0 : 1;
        if (seg == Seg.Tr)
        {
            if (codeOrData || type != 0xB) return 1;
        }
        else if (!codeOrData) return 1;
        if (!Present(s)) return 1;
        switch (seg)
        {
            case Seg.Cs: return (type & 0x8) == 0 ? 1 : 0;
            case Seg.Ss: return (type & 0x8) != 0 || (type & 0x2) == 0 ? 1 : 0;
            case Seg.Ds:
            case Seg.Es: return (type & 0x8) != 0 && (type & 0x2) == 0 ? 1 : 0;
            default: return 0;
        }
    }

    static bool Canonical(ulong a) => (a >> 47) == 0 || (a >> 47) == 0x1FFFF;
}

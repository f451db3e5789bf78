using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Vcpus;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// SVM state for a domain a toolstack built (domctl createdomain, populate_physmap,
/// setvcpucontext): made when the domain is first unpaused with vCPU 0 online, so the nested
/// tables start from the p2m as the toolstack left it. Each initialised vCPU enters with the
/// control registers and segments its context gave; a context from setvcpucontext carries no
/// segments, so it gets the PVH start segments (flat 32-bit), which is what Xen's toolstack
/// gives a PVH guest through its HVM context.
/// </summary>
public static unsafe class DomainStart
{
    public static void StartIfReady(SvmHost host, Domain d)
    {
        if (d.X86 != null || d.State != DomainState.Running || d.IsPausedByController) return;
        if (!GuestModes.IsHvm(d.Mode) || !d.Vcpus[0].IsUp) return;
        if (!SvmDomain.Create(host, d))
        {
            host.Hv.Console.WriteLine("(XEN) out of ASIDs or memory for a new domain's SVM state: destroying it");
            host.Hv.DestroyDomain(d);
            return;
        }
        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            Vcpu v = d.Vcpus[i];
            if (!v.IsUp) continue;
            HvmStartState st = v.VcpuOp != null ? v.VcpuOp.Hvm : default;
            Load(v, ref st);
        }
    }

    static void Load(Vcpu v, ref HvmStartState st)
    {
        Vmcb* vmcb = v.X86.Vmcb;
        bool flat = st.Cs.Attr == 0;
        Segment(&vmcb->Cs, flat ? Flat(SvmSetup.CodeAttrib) : st.Cs);
        SegmentCache data = flat ? Flat(SvmSetup.DataAttrib) : st.Ds;
        Segment(&vmcb->Ds, data);
        Segment(&vmcb->Es, flat ? data : st.Es);
        Segment(&vmcb->Ss, flat ? data : st.Ss);
        Segment(&vmcb->Fs, data);
        Segment(&vmcb->Gs, data);
        Segment(&vmcb->Tr, flat || st.Tr.Attr == 0 ? new SegmentCache { Limit = 0x67, Attr = SvmSetup.TssAttrib } : st.Tr);
        vmcb->Cpl = 0;
        vmcb->Cr0 = st.Cr0 != 0 ? st.Cr0 : X86Bits.Cr0Pe | X86Bits.Cr0Et;
        vmcb->Cr3 = st.Cr3;
        vmcb->Cr4 = st.Cr4;
        vmcb->Efer = st.Efer | X86Bits.EferSvme;
        vmcb->Dr6 = 0xFFFF_0FF0;
        vmcb->Dr7 = 0x400;
        v.Regs.Flags |= X86Bits.RflagsFixed;
        v.Mode = GuestState.Is64Bit(vmcb) ? GuestMode.Hvm64 : GuestMode.Hvm32;
    }

    static SegmentCache Flat(ushort attrib) => new SegmentCache { Limit = uint.MaxValue, Attr = attrib };

    static void Segment(VmcbSegment* s, SegmentCache c)
    {
        s->Selector = 0;
        s->Attrib = c.Attr;
        s->Limit = c.Limit;
        s->Base = c.Base;
    }
}

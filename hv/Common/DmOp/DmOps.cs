using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Common.Sched;
using O = XenLite.Hv.Abi.XenDmop;

namespace XenLite.Hv.Common.DmOp;

/// <summary>
/// Xen's dm_op for x86 (xen/arch/x86/hvm/dm.c) and arm (xen/arch/arm/dm.c). XenLite hosts no
/// ioreq servers, emulates no interrupt controller lines for a device model, and has no
/// log-dirty mode: those sub-ops check their arguments as Xen does, then answer as Xen would
/// with nothing to act on (no such server, nothing to mark) or -EOPNOTSUPP where Xen would act.
/// </summary>
static unsafe class DmOps
{
    /// <summary>op_size: how many bytes of struct xen_dm_op's union each sub-op reads (0: none; falls to the ioreq ops).</summary>
    static int OpSize(int op, bool arm)
    {
        switch (op)
        {
            case O.CreateIoreqServer: return 6;
            case O.GetIoreqServerInfo:
            case O.MapIoRangeToIoreqServer:
            case O.UnmapIoRangeFromIoreqServer: return 24;
            case O.SetIoreqServerState:
            case O.DestroyIoreqServer: return 4;
            case O.NrVcpus: return 4;
            case O.SetIrqLevel: return arm ? 8 : 0;
        }
        if (arm) return 0;
        return op switch
        {
            O.TrackDirtyVram => 16,
            O.SetPciIntxLevel => 6,
            O.SetIsaIrqLevel or O.SetPciLinkRoute => 2,
            O.ModifiedMemory => 8,
            O.SetMemType or O.InjectMsi or O.MapMemTypeToIoreqServer => 16,
            O.InjectEvent or O.RelocateMemory or O.PinMemoryCacheattr => 24,
            O.RemoteShutdown => 4,
            _ => 0,
        };
    }

    public static long Run(Vcpu v, ushort domid, ref DmBuffers b)
    {
        // rcu_lock_remote_domain_by_id: DOMID_SELF is not a remote domain, nor is the caller.
        Domain d = v.Hv.Lookup(domid);
        if (d == null) return -Errno.ESRCH;
        if (d == v.Domain) return -Errno.EPERM;
        bool arm = d.Mode == GuestMode.Arm;
        if (!arm && !GuestModes.IsHvm(d.Mode)) return -Errno.EINVAL;
        int rc = v.Hv.Xsm.DmOp(v.Domain, d);
        if (rc != 0) return rc;

        XenDmOp op;
        ulong buf0 = b.Handle[0];
        if (b.Size[0] < O.UnionOffset || GuestMemory.CopyFrom(v, buf0, &op, O.UnionOffset) != 0) return -Errno.EFAULT;
        if (op.Op >= O.TableSize) return -Errno.EOPNOTSUPP;
        int size = OpSize((int)op.Op, arm);
        if (b.Size[0] < O.UnionOffset + (ulong)size) return -Errno.EFAULT;
        if (size > 0 && GuestMemory.CopyFrom(v, buf0 + O.UnionOffset, op.U, (ulong)size) != 0) return -Errno.EFAULT;
        if (op.Pad != 0) return -Errno.EINVAL;

        bool constOp = true;
        long r = arm ? Arm(d, ref op, ref constOp) : X86(v, d, ref op, ref b, ref constOp);
        if (r == 0 && !constOp && GuestMemory.CopyTo(v, buf0 + O.UnionOffset, op.U, (ulong)size) != 0) return -Errno.EFAULT;
        return r;
    }

    static long X86(Vcpu v, Domain d, ref XenDmOp op, ref DmBuffers b, ref bool constOp)
    {
        fixed (byte* u = op.U)
        {
            switch ((int)op.Op)
            {
                case O.TrackDirtyVram:
                {
                    var t = (XenDmOpTrackDirtyVram*)u;
                    if (t->Pad != 0 || b.Count < 2) return -Errno.EINVAL;
                    if (t->Nr > (1u << 30) >> 12) return -Errno.EINVAL;
                    if (d.State == DomainState.Dying) return -Errno.ESRCH;
                    if ((t->Nr + 7UL) / 8 > b.Size[1]) return -Errno.EINVAL;
                    // nr == 0 stops tracking (there is none); tracking needs log-dirty paging.
                    return t->Nr == 0 ? 0 : -Errno.EOPNOTSUPP;
                }
                case O.SetPciIntxLevel:
                {
                    var p = (XenDmOpSetPciIntxLevel*)u;
                    if (p->Domain != 0 || p->Bus != 0 || p->Device > 0x1f || p->Intx > 3) return -Errno.EINVAL;
                    return p->Level <= 1 ? 0 : -Errno.EINVAL;
                }
                case O.SetIsaIrqLevel:
                {
                    var p = (XenDmOpSetIsaIrqLevel*)u;
                    if (p->IsaIrq >= 16) return -Errno.EINVAL;
                    return p->Level <= 1 ? 0 : -Errno.EINVAL;
                }
                case O.SetPciLinkRoute:
                {
                    var p = (XenDmOpSetPciLinkRoute*)u;
                    if (p->Link > 3 || p->IsaIrq > 15) return -Errno.EINVAL;
                    d.Dm.PciLinkRoute[p->Link] = p->IsaIrq;
                    return 0;
                }
                case O.ModifiedMemory:
                    // Without log-dirty mode there is nothing to mark: Xen returns before reading the extents.
                    return b.Count != 2 ? -Errno.EINVAL : 0;
                case O.SetMemType:
                    constOp = false;
                    return SetMemType(d, (XenDmOpSetMemType*)u);
                case O.InjectEvent:
                    return InjectEvent(d, (XenDmOpInjectEvent*)u);
                case O.InjectMsi:
                    // No emulated MSI delivery path for a device model's interrupts.
                    return ((XenDmOpInjectMsi*)u)->Pad != 0 ? -Errno.EINVAL : -Errno.EOPNOTSUPP;
                case O.MapMemTypeToIoreqServer:
                {
                    constOp = false;
                    var m = (XenDmOpMapMemTypeToIoreqServer*)u;
                    // A resumed call (opaque != 0) only finishes resetting types: there are none.
                    if (m->Opaque != 0) return 0;
                    if (m->Type != HvmMemType.IoreqServer || (m->Flags & ~O.IoreqMemAccessWrite) != 0) return -Errno.EINVAL;
                    return -Errno.ENOENT;
                }
                case O.RemoteShutdown:
                    DomainShutdown.Shutdown(d, (byte)((XenDmOpRemoteShutdown*)u)->Reason);
                    return 0;
                case O.RelocateMemory:
                    // Needs the gmfn_range add_to_physmap move on behalf of a device model.
                    return ((XenDmOpRelocateMemory*)u)->Pad != 0 ? -Errno.EINVAL : -Errno.EOPNOTSUPP;
                case O.PinMemoryCacheattr:
                {
                    var p = (XenDmOpPinMemoryCacheattr*)u;
                    return p->Pad != 0 ? -Errno.EINVAL : CacheAttr.Pin(d, p->Start, p->End, p->Type);
                }
                case O.NrVcpus:
                    constOp = false;
                    ((XenDmOpNrVcpus*)u)->Vcpus = (uint)d.Vcpus.Length;
                    return 0;
                default:
                    return IoreqServers(ref op, ref constOp);
            }
        }
    }

    static long Arm(Domain d, ref XenDmOp op, ref bool constOp)
    {
        fixed (byte* u = op.U)
        {
            switch ((int)op.Op)
            {
                case O.SetIrqLevel:
                {
                    var s = (XenDmOpSetIrqLevel*)u;
                    // Only SPIs of this domain's vGIC (32..63), level 0 or 1, zero padding.
                    if (s->Irq < 32 || s->Irq >= 64) return -Errno.EINVAL;
                    if (s->Level > 1) return -Errno.EINVAL;
                    if (s->Pad[0] != 0 || s->Pad[1] != 0 || s->Pad[2] != 0) return -Errno.EINVAL;
                    return 0;
                }
                case O.NrVcpus:
                    constOp = false;
                    ((XenDmOpNrVcpus*)u)->Vcpus = (uint)d.Vcpus.Length;
                    return 0;
                default:
                    return IoreqServers(ref op, ref constOp);
            }
        }
    }

    /// <summary>Xen's ioreq_server_dm_op with no server ever created: checks, then "no such server".</summary>
    static long IoreqServers(ref XenDmOp op, ref bool constOp)
    {
        fixed (byte* u = op.U)
        {
            switch ((int)op.Op)
            {
                case O.CreateIoreqServer:
                {
                    constOp = false;
                    var c = (XenDmOpCreateIoreqServer*)u;
                    if (c->Pad[0] != 0 || c->Pad[1] != 0 || c->Pad[2] != 0) return -Errno.EINVAL;
                    if (c->HandleBufioreq > O.BufioreqAtomic) return -Errno.EINVAL;
                    // XenLite does not forward guest I/O to device models.
                    return -Errno.EOPNOTSUPP;
                }
                case O.GetIoreqServerInfo:
                    constOp = false;
                    return (((XenDmOpGetIoreqServerInfo*)u)->Flags & ~O.NoGfns) != 0 ? -Errno.EINVAL : -Errno.ENOENT;
                case O.MapIoRangeToIoreqServer:
                case O.UnmapIoRangeFromIoreqServer:
                    return ((XenDmOpIoreqServerRange*)u)->Pad != 0 ? -Errno.EINVAL : -Errno.ENOENT;
                case O.SetIoreqServerState:
                    return ((XenDmOpSetIoreqServerState*)u)->Pad != 0 ? -Errno.EINVAL : -Errno.ENOENT;
                case O.DestroyIoreqServer:
                    return ((XenDmOpDestroyIoreqServer*)u)->Pad != 0 ? -Errno.EINVAL : -Errno.ENOENT;
                default:
                    return -Errno.EOPNOTSUPP;
            }
        }
    }

    /// <summary>
    /// The range and type checks of Xen's set_mem_type; RAM may be "changed" to ram_rw (what it
    /// is), while other changes need typed p2m entries XenLite's p2m does not have.
    /// </summary>
    static long SetMemType(Domain d, XenDmOpSetMemType* s)
    {
        if (s->Pad != 0) return -Errno.EINVAL;
        ulong last = s->FirstPfn + s->Nr - 1;
        if (s->FirstPfn > last || last > d.P2m.MaxMappedGfn) return -Errno.EINVAL;
        if (s->MemType > HvmMemType.IoreqServer || s->MemType == HvmMemType.Unused) return -Errno.EINVAL;
        if (s->MemType == HvmMemType.IoreqServer) return -Errno.EINVAL; // no ioreq server claimed the type
        for (ulong pfn = s->FirstPfn; pfn <= last; pfn++)
        {
            bool ram = d.P2m.TypeOf(new Gfn(pfn)) == P2mType.RamRw;
            if (ram && s->MemType == HvmMemType.RamRw) continue;
            // Holes may become mmio_dm and RAM may change type in Xen; neither can be expressed here.
            if (ram || s->MemType == HvmMemType.MmioDm) return -Errno.EOPNOTSUPP;
            return -Errno.EINVAL;
        }
        return 0;
    }

    static long InjectEvent(Domain d, XenDmOpInjectEvent* e)
    {
        if (e->Pad0 != 0 || e->Pad1 != 0) return -Errno.EINVAL;
        if (e->VcpuId >= (uint)d.Vcpus.Length) return -Errno.EINVAL;
        DmState s = d.Dm;
        int i = (int)e->VcpuId;
        if (s.EventPending[i]) return -Errno.EBUSY;
        s.EventVector[i] = e->Vector;
        s.EventType[i] = e->Type;
        s.EventErrorCode[i] = e->ErrorCode;
        s.EventPending[i] = true;
        return 0;
    }
}

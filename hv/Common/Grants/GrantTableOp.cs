using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Grants;

/// <summary>
/// grant_table_op (20): grant_table_op(cmd, uop, count). Batched sub-ops continue where they
/// were preempted (uop advanced, count reduced); cache_flush keeps its inner progress in the
/// high bits of cmd. Per-operation failures are GNTST_* in the op's status; the return value
/// is an errno only for the call itself (bad pointer, count, cmd).
/// </summary>
public static unsafe class GrantTableOp
{
    public static long Handle(Vcpu v, ref HypercallArgs a) => Op(v, (uint)a[0], a[1], (uint)a[2], false);

    public static long HandleCompat(Vcpu v, ref HypercallArgs a) => Op(v, (uint)a[0], a[1], (uint)a[2], true);

    /// <summary>Xen's hvm_grant_table_op: HVM guests get only the audited sub-ops.</summary>
    public static long HandleHvm(Vcpu v, ref HypercallArgs a)
    {
        uint cmd = (uint)a[0];
        switch (cmd)
        {
            case GnttabOp.QuerySize:
            case GnttabOp.SetupTable:
            case GnttabOp.SetVersion:
            case GnttabOp.GetVersion:
            case GnttabOp.Copy:
            case GnttabOp.MapGrantRef:
            case GnttabOp.UnmapGrantRef:
            case GnttabOp.SwapGrantRef:
                return Op(v, cmd, a[1], (uint)a[2], GuestModes.Is32Bit(v.Mode));
            default:
                return -Errno.ENOSYS;
        }
    }

    static long Op(Vcpu v, uint cmd, ulong uop, uint count, bool compat)
    {
        uint opaqueIn = cmd & ~GnttabOp.CmdMask;
        uint op = cmd & GnttabOp.CmdMask;
        if ((int)count < 0) return -Errno.EINVAL;
        if (op != GnttabOp.CacheFlush && opaqueIn != 0) return -Errno.EINVAL;
        uint size = ElementSize(op, compat);
        if (size != 0 && !GuestMemory.RangeOkay(v, uop, (ulong)count * size)) return -Errno.EFAULT;

        long rc;
        uint opaqueOut = 0;
        switch (op)
        {
            case GnttabOp.MapGrantRef: rc = Batch(v, op, uop, count, compat); break;
            case GnttabOp.UnmapGrantRef: rc = Batch(v, op, uop, count, compat); break;
            case GnttabOp.UnmapAndReplace: rc = Batch(v, op, uop, count, compat); break;
            case GnttabOp.Transfer:
                // Transfer exists only for PV guests (opt_grant_transfer needs CONFIG_PV).
                if (v.Mode == GuestMode.Arm) return -Errno.EOPNOTSUPP;
                rc = Batch(v, op, uop, count, compat);
                break;
            case GnttabOp.Copy: rc = Batch(v, op, uop, count, compat); break;
            case GnttabOp.SwapGrantRef: rc = Batch(v, op, uop, count, compat); break;
            case GnttabOp.SetupTable: return GrantTableInfo.SetupTable(v, uop, count, compat);
            case GnttabOp.QuerySize: return GrantTableInfo.QuerySize(v, uop, count);
            case GnttabOp.SetVersion: return GrantVersion.Set(v, uop);
            case GnttabOp.GetStatusFrames: return GrantVersion.GetStatusFrames(v, uop, count, compat);
            case GnttabOp.GetVersion: return GrantVersion.Get(v, uop);
            case GnttabOp.CacheFlush:
                // Only arm builds have CONFIG_HAS_GRANT_CACHE_FLUSH.
                if (v.Mode != GuestMode.Arm) return -Errno.ENOSYS;
                uint cur = opaqueIn >> GnttabOp.ContinuationArgShift;
                rc = GrantCacheFlush.Batch(v, uop, ref cur, count);
                if (rc >= 0) opaqueOut = cur << GnttabOp.ContinuationArgShift;
                break;
            default:
                // GNTTABOP_dump_table is no longer implemented by Xen either.
                return -Errno.ENOSYS;
        }
        if (rc > 0 || (opaqueOut != 0 && rc == 0))
        {
            var args = HypercallArgs.Of(opaqueOut | op, uop + (ulong)rc * size, count - (uint)rc);
            return Continuation.Create(v, HypercallNumber.GrantTableOp, in args);
        }
        return rc;
    }

    static uint ElementSize(uint op, bool compat) => op switch
    {
        GnttabOp.MapGrantRef => (uint)sizeof(GnttabMapGrantRef),
        GnttabOp.UnmapGrantRef => (uint)sizeof(GnttabUnmapGrantRef),
        GnttabOp.UnmapAndReplace => (uint)sizeof(GnttabUnmapAndReplace),
        GnttabOp.Transfer => compat ? (uint)sizeof(GnttabTransferCompat) : (uint)sizeof(GnttabTransfer),
        GnttabOp.Copy => compat ? (uint)sizeof(GnttabCopyCompat) : (uint)sizeof(GnttabCopy),
        GnttabOp.SwapGrantRef => (uint)sizeof(GnttabSwapGrantRef),
        GnttabOp.CacheFlush => (uint)sizeof(GnttabCacheFlush),
        _ => 0,
    };

    /// <summary>Runs <paramref name="count"/> operations; the number done when preempted, 0 when all done, -EFAULT.</summary>
    static long Batch(Vcpu v, uint op, ulong uop, uint count, bool compat)
    {
        uint size = ElementSize(op, compat);
        for (uint i = 0; i < count; i++)
        {
            if (i != 0 && Continuation.PreemptCheck(v)) return i;
            if (One(v, op, uop + (ulong)i * size, compat) != 0) return -Errno.EFAULT;
        }
        return 0;
    }

    /// <summary>One operation: read it, run it, write its results back. 0 or -EFAULT.</summary>
    static int One(Vcpu v, uint op, ulong addr, bool compat)
    {
        switch (op)
        {
            case GnttabOp.MapGrantRef:
            {
                if (GuestMemory.Read(v, addr, out GnttabMapGrantRef m) != 0) return -Errno.EFAULT;
                m.Status = GrantMapping.Map(v, ref m);
                return GuestMemory.Write(v, addr, in m);
            }
            case GnttabOp.UnmapGrantRef:
            {
                if (GuestMemory.Read(v, addr, out GnttabUnmapGrantRef u) != 0) return -Errno.EFAULT;
                short st = GrantMapping.Unmap(v, u.HostAddr, u.DevBusAddr, 0, u.Handle);
                return GuestMemory.Write(v, addr + 20, in st);
            }
            case GnttabOp.UnmapAndReplace:
            {
                if (GuestMemory.Read(v, addr, out GnttabUnmapAndReplace u) != 0) return -Errno.EFAULT;
                short st = GrantMapping.Unmap(v, u.HostAddr, 0, u.NewAddr, u.Handle);
                return GuestMemory.Write(v, addr + 20, in st);
            }
            case GnttabOp.Transfer:
            {
                ulong frame;
                ushort domid;
                uint gref;
                ulong statusAt;
                if (compat)
                {
                    if (GuestMemory.Read(v, addr, out GnttabTransferCompat t) != 0) return -Errno.EFAULT;
                    frame = t.Mfn; domid = t.DomId; gref = t.Ref; statusAt = addr + 12;
                }
                else
                {
                    if (GuestMemory.Read(v, addr, out GnttabTransfer t) != 0) return -Errno.EFAULT;
                    frame = t.Mfn; domid = t.DomId; gref = t.Ref; statusAt = addr + 16;
                }
                short st = GrantTransfer.One(v, frame, domid, gref);
                return GuestMemory.Write(v, statusAt, in st);
            }
            case GnttabOp.Copy:
            {
                GnttabCopy c;
                ulong statusAt;
                if (compat)
                {
                    if (GuestMemory.Read(v, addr, out GnttabCopyCompat k) != 0) return -Errno.EFAULT;
                    c = new GnttabCopy
                    {
                        SourceU = k.SourceU, SourceDomId = k.SourceDomId, SourceOffset = k.SourceOffset,
                        DestU = k.DestU, DestDomId = k.DestDomId, DestOffset = k.DestOffset,
                        Len = k.Len, Flags = k.Flags,
                    };
                    statusAt = addr + 20;
                }
                else
                {
                    if (GuestMemory.Read(v, addr, out c) != 0) return -Errno.EFAULT;
                    statusAt = addr + 36;
                }
                // A grant reference is 32 bits wide inside the frame-number union.
                if ((c.Flags & GntCopy.SourceGref) != 0) c.SourceU = (uint)c.SourceU;
                if ((c.Flags & GntCopy.DestGref) != 0) c.DestU = (uint)c.DestU;
                short st = GrantCopy.One(v, in c);
                return GuestMemory.Write(v, statusAt, in st);
            }
            default: // SwapGrantRef
            {
                if (GuestMemory.Read(v, addr, out GnttabSwapGrantRef s) != 0) return -Errno.EFAULT;
                short st = GrantTableInfo.Swap(v.Domain, s.RefA, s.RefB);
                return GuestMemory.Write(v, addr + 8, in st);
            }
        }
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Grants;

/// <summary>
/// map_grant_ref and the unmap half shared by unmap_grant_ref and unmap_and_replace. A host
/// mapping by a translated guest (HVM, PVH, arm) is a p2m entry at host_addr's frame, as Xen's
/// create_grant_p2m_mapping makes it; PV page-table mappings are not modelled (only
/// GNTMAP_device_map works for PV callers). Every mapping holds one reference on the frame.
/// </summary>
public static unsafe class GrantMapping
{
    public static short Map(Vcpu v, ref GnttabMapGrantRef op)
    {
        Domain ld = v.Domain;
        uint flags = op.Flags;
        bool ro = (flags & GntMap.Readonly) != 0;
        uint pinIncr = 0;
        if ((flags & GntMap.DeviceMap) != 0) pinIncr += ro ? GrantTable.PinDevRead : GrantTable.PinDevWrite;
        if ((flags & GntMap.HostMap) != 0) pinIncr += ro ? GrantTable.PinHostRead : GrantTable.PinHostWrite;
        if (pinIncr == 0) return Gntst.BadGntref;
        if (Physmap.IsTranslated(ld) && (flags & (GntMap.DeviceMap | GntMap.ApplicationMap | GntMap.ContainsPte)) != 0)
            return Gntst.GeneralError;

        Domain rd = v.Hv.Lookup(op.Dom);
        if (rd == null) return Gntst.BadDomain;
        if (v.Hv.Xsm.GrantMapref(ld, rd, flags) != 0) return Gntst.PermissionDenied;

        GrantTable lgt = ld.Grants;
        uint handle = lgt.GetHandle();
        if (handle == GrantTable.NoHandle) return Gntst.NoSpace;
        short rc = MapWithHandle(ld, rd, ref op, pinIncr, handle);
        if (rc != Gntst.Okay) lgt.PutHandle(handle);
        return rc;
    }

    static short MapWithHandle(Domain ld, Domain rd, ref GnttabMapGrantRef op, uint pinIncr, uint handle)
    {
        GrantTable rgt = rd.Grants;
        MachineMemory mem = ld.Hv.Memory;
        uint flags = op.Flags;
        bool ro = (flags & GntMap.Readonly) != 0;
        uint r = op.Ref;
        if (r >= rgt.NrEntries) return Gntst.BadGntref;
        ref ActiveGrant act = ref rgt.Active(r);
        if (act.Pin != 0 && (act.Domid != ld.Id || GrantTable.WouldOverflow(act.Pin, pinIncr) || act.SubPage))
            return Gntst.GeneralError;

        bool haveRef = false;
        if (act.Pin == 0 || (!ro && (act.Pin & GrantTable.PinWriteMask) == 0))
        {
            short rc = rgt.SetStatus(r, act.Pin, ro, true, ld.Id);
            if (rc != Gntst.Okay) return rc;
            if (act.Pin == 0)
            {
                rc = GrantFrames.GetPaged(rd, rgt.EntryFrame(r), out Mfn frame);
                if (rc != Gntst.Okay)
                {
                    rgt.ReduceStatusForPin(r, ro);
                    return rc;
                }
                haveRef = true;
                act.Domid = ld.Id;
                act.Mfn = frame.Value;
                act.Start = 0;
                act.Length = (ushort)0x1000;
                act.SubPage = false;
            }
        }
        act.Pin += pinIncr;
        var mfn = new Mfn(act.Mfn);
        uint cacheFlags = (uint)(*HeaderFlagsOf(rgt, r) & (Gtf.Pat | Gtf.Pwt | Gtf.Pcd));

        int refs = 0, types = 0;
        short result = Gntst.Okay;
        if (!haveRef && !mem.GetRef(mfn, rd.Id)) result = Gntst.GeneralError;
        else
        {
            refs = 1;
            if ((flags & GntMap.DeviceMap) != 0 && !ro)
            {
                if (mem.GetWritableType(mfn)) types++;
                else result = Gntst.GeneralError;
            }
            if (result == Gntst.Okay && (flags & GntMap.HostMap) != 0)
            {
                if ((flags & GntMap.DeviceMap) != 0)
                {
                    if (mem.GetRef(mfn, rd.Id)) refs++;
                    else result = Gntst.GeneralError;
                }
                if (result == Gntst.Okay && HostMappingTakesType(ro, ld, rd))
                {
                    if (mem.GetWritableType(mfn)) types++;
                    else result = Gntst.GeneralError;
                }
                if (result == Gntst.Okay) result = CreateHostMapping(ld, op.HostAddr, mfn, flags, cacheFlags);
            }
        }
        if (result != Gntst.Okay)
        {
            while (types-- > 0) mem.PutWritableType(mfn);
            while (refs-- > 0) DomainPages.Put(ld.Hv, mfn);
            act.Pin -= pinIncr;
            rgt.ReduceStatusForPin(r, ro);
            return result;
        }

        ref MapTrackEntry m = ref ld.Grants.Map(handle);
        m.Domid = rd.Id;
        m.Ref = r;
        m.Flags = flags;
        m.HostGfn = op.HostAddr >> Page.Shift;
        op.DevBusAddr = mfn.ToMaddr().Value;
        op.Handle = handle;
        return Gntst.Okay;
    }

    static unsafe ushort* HeaderFlagsOf(GrantTable t, uint r) => t.HeaderFlags(r);

    /// <summary>x86's gnttab_host_mapping_get_page_type; arm never takes a type for host mappings.</summary>
    static bool HostMappingTakesType(bool ro, Domain ld, Domain rd) =>
        ld.Mode != GuestMode.Arm && !ro && (ld == rd || !Physmap.IsTranslated(rd));

    static short CreateHostMapping(Domain ld, ulong hostAddr, Mfn mfn, uint flags, uint cacheFlags)
    {
        if (!Physmap.IsTranslated(ld)) return Gntst.GeneralError;
        if (cacheFlags != 0 || (flags & ~GntMap.Readonly) != GntMap.HostMap) return Gntst.GeneralError;
        P2mType type = (flags & GntMap.Readonly) != 0 ? P2mType.GrantMapRo : P2mType.GrantMapRw;
        return Physmap.AddForeign(ld, new Gpa(hostAddr).Frame, mfn, type) == 0 ? Gntst.Okay : Gntst.GeneralError;
    }

    static short ReplaceHostMapping(Domain ld, ulong hostAddr, Mfn mfn, ulong newAddr, uint flags)
    {
        if (!Physmap.IsTranslated(ld)) return Gntst.GeneralError;
        if (newAddr != 0 || (flags & GntMap.ContainsPte) != 0) return Gntst.GeneralError;
        Gfn gfn = new Gpa(hostAddr).Frame;
        P2mType t = ld.P2m.TypeOf(gfn);
        if ((t != P2mType.GrantMapRw && t != P2mType.GrantMapRo) || ld.P2m.Lookup(gfn).Value != mfn.Value)
            return Gntst.GeneralError;
        ld.P2m.Clear(gfn);
        return Gntst.Okay;
    }

    /// <summary>
    /// Xen's unmap_common + unmap_common_complete for one handle: undoes the host and/or device
    /// part named by a nonzero address. Returns GNTST_*.
    /// </summary>
    public static short Unmap(Vcpu v, ulong hostAddr, ulong devBusAddr, ulong newAddr, uint handle)
    {
        Domain ld = v.Domain;
        GrantTable lgt = ld.Grants;
        if (handle >= lgt.MaptrackLimit) return Gntst.BadHandle;
        ref MapTrackEntry map = ref lgt.Map(handle);
        if (map.Flags == 0) return Gntst.BadHandle;
        Domain rd = v.Hv.Lookup(map.Domid);
        if (rd == null) return Gntst.GeneralError;
        if (v.Hv.Xsm.GrantUnmapref(ld, rd) != 0) return Gntst.PermissionDenied;
        GrantTable rgt = rd.Grants;
        uint r = map.Ref;
        if (r >= rgt.NrEntries) return Gntst.BadHandle;
        var mfn = new Mfn(rgt.Active(r).Mfn);
        uint flags = map.Flags;

        if (devBusAddr != 0 && (flags & GntMap.DeviceMap) != 0 && devBusAddr != mfn.ToMaddr().Value)
            return Gntst.BadDevAddr;
        uint done = 0;
        if (hostAddr != 0 && (flags & GntMap.HostMap) != 0)
        {
            short rc = ReplaceHostMapping(ld, hostAddr, mfn, newAddr, flags);
            if (rc != Gntst.Okay) return rc;
            map.Flags &= ~GntMap.HostMap;
            done |= GntMap.HostMap | (flags & GntMap.Readonly);
        }
        if (devBusAddr != 0 && (flags & GntMap.DeviceMap) != 0)
        {
            map.Flags &= ~GntMap.DeviceMap;
            done |= GntMap.DeviceMap | (flags & GntMap.Readonly);
        }
        if ((map.Flags & (GntMap.DeviceMap | GntMap.HostMap)) == 0) lgt.PutHandle(handle);
        Complete(ld, rd, r, mfn, done);
        return Gntst.Okay;
    }

    /// <summary>Drops the pins, types and references of the parts of a mapping that went.</summary>
    static void Complete(Domain ld, Domain rd, uint r, Mfn mfn, uint done)
    {
        if (done == 0) return;
        MachineMemory mem = ld.Hv.Memory;
        GrantTable rgt = rd.Grants;
        ref ActiveGrant act = ref rgt.Active(r);
        bool ro = (done & GntMap.Readonly) != 0;
        if ((done & GntMap.DeviceMap) != 0)
        {
            if (!ro) mem.PutWritableType(mfn);
            DomainPages.Put(ld.Hv, mfn);
            act.Pin -= ro ? GrantTable.PinDevRead : GrantTable.PinDevWrite;
        }
        if ((done & GntMap.HostMap) != 0)
        {
            if (HostMappingTakesType(ro, ld, rd)) mem.PutWritableType(mfn);
            DomainPages.Put(ld.Hv, mfn);
            act.Pin -= ro ? GrantTable.PinHostRead : GrantTable.PinHostWrite;
        }
        rgt.ReduceStatusForPin(r, ro);
    }

    /// <summary>Removes a mapping whatever its state (a party is being destroyed): p2m entry, pins, references.</summary>
    public static void ForceUnmap(Domain ld, uint handle)
    {
        ref MapTrackEntry map = ref ld.Grants.Map(handle);
        uint flags = map.Flags;
        Domain rd = ld.Hv.Lookup(map.Domid);
        uint r = map.Ref;
        ulong hostGfn = map.HostGfn;
        ld.Grants.PutHandle(handle);
        if (flags == 0 || rd == null || r >= rd.Grants.NrEntries) return;
        var mfn = new Mfn(rd.Grants.Active(r).Mfn);
        if ((flags & GntMap.HostMap) != 0 && Physmap.IsTranslated(ld) && ld.P2m.Lookup(new Gfn(hostGfn)).Value == mfn.Value)
            ld.P2m.Clear(new Gfn(hostGfn));
        uint done = flags & (GntMap.HostMap | GntMap.DeviceMap | GntMap.Readonly);
        Complete(ld, rd, r, mfn, done);
    }
}

using System.Collections.Generic;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Grants;
using XenLite.Hv.Common.Memory;

namespace XenLite.Tests.MemoryOp;

/// <summary>
/// The memory ownership invariant: every frame is free or has one owner; each domain's
/// domain-heap frames number exactly its tot_pages; a p2m maps only the domain's own frames,
/// or another domain's frames through a grant it holds (host mapping in its maptrack, pinned
/// in the granter's active entry, writable only when granted so) or a foreign mapping; and
/// every such mapping holds a reference on the frame.
/// </summary>
public static class OwnershipInvariant
{
    /// <summary>Every violation found, described; empty when the machine is consistent.</summary>
    public static List<string> Check(Hypervisor hv)
    {
        var bad = new List<string>();
        MachineMemory mem = hv.Memory;
        var domheap = new Dictionary<ushort, ulong>();
        ulong free = 0;
        for (ulong f = mem.FirstFrame; f < mem.MaxPage; f++)
        {
            var mfn = new Mfn(f);
            ushort owner = mem.OwnerOf(mfn);
            FrameKind kind = mem.KindOf(mfn);
            if (owner == MachineMemory.OwnerFree)
            {
                free++;
                if (kind != FrameKind.Free || mem.RefCount(mfn) != 0 || mem.TypeCount(mfn) != 0)
                    bad.Add($"free frame {f:x} has kind {kind}, {mem.RefCount(mfn)} refs, {mem.TypeCount(mfn)} types");
                continue;
            }
            if (kind == FrameKind.Free) bad.Add($"frame {f:x} owned by {owner} but marked free");
            if (owner < DomainIds.FirstReserved && hv.Lookup(owner) == null)
                bad.Add($"frame {f:x} owned by d{owner}, which does not exist");
            if (kind == FrameKind.DomHeap)
            {
                domheap[owner] = domheap.GetValueOrDefault(owner) + 1;
                if (mem.RefCount(mfn) == 0) bad.Add($"d{owner}'s RAM frame {f:x} has no reference");
            }
        }
        if (free != mem.FreeFrames) bad.Add($"FreeFrames says {mem.FreeFrames}, the owner map {free}");

        var mappingRefs = new Dictionary<ulong, uint>();
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain d = hv.Lookup(id);
            if (d == null) continue;
            ulong counted = domheap.GetValueOrDefault(d.Id);
            if (counted != d.TotPages) bad.Add($"d{d.Id}: tot_pages {d.TotPages} but owns {counted} RAM frames");
            if (d.TotPages > d.MaxPages) bad.Add($"d{d.Id}: tot_pages {d.TotPages} above max_pages {d.MaxPages}");
            CheckP2m(hv, d, bad, mappingRefs);
            if (d.Grants != null) CheckGrants(hv, d, bad, mappingRefs);
        }
        foreach (var (f, refs) in mappingRefs)
            if (mem.RefCount(new Mfn(f)) < refs)
                bad.Add($"frame {f:x} is mapped {refs} times but holds {mem.RefCount(new Mfn(f))} references");
        return bad;
    }

    static void CheckP2m(Hypervisor hv, Domain d, List<string> bad, Dictionary<ulong, uint> mappingRefs)
    {
        MachineMemory mem = hv.Memory;
        for (ulong g = 0; g < d.P2m.Size; g++)
        {
            var gfn = new Gfn(g);
            Mfn mfn = d.P2m.Lookup(gfn);
            P2mType type = d.P2m.TypeOf(gfn);
            if (!mfn.IsValid)
            {
                if (type != P2mType.Invalid) bad.Add($"d{d.Id} gfn {g:x}: type {type} without a frame");
                continue;
            }
            ushort owner = mem.OwnerOf(mfn);
            switch (type)
            {
                case P2mType.RamRw:
                    if (owner != d.Id) bad.Add($"d{d.Id} gfn {g:x} maps frame {mfn.Value:x} of d{owner} as its own RAM");
                    break;
                case P2mType.GrantMapRw:
                case P2mType.GrantMapRo:
                    if (owner == d.Id) bad.Add($"d{d.Id} gfn {g:x}: grant mapping of its own frame");
                    if (!HoldsGrantFor(hv, d, g, mfn, type == P2mType.GrantMapRw))
                        bad.Add($"d{d.Id} gfn {g:x} maps frame {mfn.Value:x} of d{owner} without a matching grant mapping");
                    mappingRefs[mfn.Value] = mappingRefs.GetValueOrDefault(mfn.Value) + 1;
                    break;
                case P2mType.Foreign:
                    if (owner == d.Id || hv.Lookup(owner) == null) bad.Add($"d{d.Id} gfn {g:x}: foreign mapping of frame {mfn.Value:x} owned by {owner}");
                    mappingRefs[mfn.Value] = mappingRefs.GetValueOrDefault(mfn.Value) + 1;
                    break;
                default:
                    bad.Add($"d{d.Id} gfn {g:x}: frame without a type");
                    break;
            }
        }
    }

    static unsafe bool HoldsGrantFor(Hypervisor hv, Domain d, ulong gfn, Mfn mfn, bool writable)
    {
        GrantTable t = d.Grants;
        for (uint h = 0; h < t.MaptrackLimit; h++)
        {
            MapTrackEntry m = t.Map(h);
            if ((m.Flags & GntMap.HostMap) == 0 || m.HostGfn != gfn) continue;
            Domain rd = hv.Lookup(m.Domid);
            if (rd == null || m.Ref >= rd.Grants.NrEntries) continue;
            ActiveGrant act = rd.Grants.Active(m.Ref);
            if (act.Mfn != mfn.Value || act.Domid != d.Id || act.Pin == 0) continue;
            bool ro = (m.Flags & GntMap.Readonly) != 0;
            if (writable == ro) continue;
            ushort flags = *rd.Grants.HeaderFlags(m.Ref);
            if (writable && ((flags & Gtf.Readonly) != 0 || (*rd.Grants.Status(m.Ref) & Gtf.Writing) == 0)) continue;
            return true;
        }
        return false;
    }

    static void CheckGrants(Hypervisor hv, Domain d, List<string> bad, Dictionary<ulong, uint> mappingRefs)
    {
        GrantTable t = d.Grants;
        for (uint h = 0; h < t.MaptrackLimit; h++)
        {
            MapTrackEntry m = t.Map(h);
            if (m.Flags == 0) continue;
            Domain rd = hv.Lookup(m.Domid);
            if (rd == null) { bad.Add($"d{d.Id} handle {h}: maps a grant of d{m.Domid}, which does not exist"); continue; }
            if (m.Ref >= rd.Grants.NrEntries) { bad.Add($"d{d.Id} handle {h}: ref {m.Ref} beyond d{rd.Id}'s table"); continue; }
            ActiveGrant act = rd.Grants.Active(m.Ref);
            if (act.Pin == 0 || act.Domid != d.Id) bad.Add($"d{d.Id} handle {h}: d{rd.Id}'s ref {m.Ref} is not pinned for it");
            if (hv.Memory.OwnerOf(new Mfn(act.Mfn)) != rd.Id) bad.Add($"d{d.Id} handle {h}: the granted frame is not d{rd.Id}'s");
            if ((m.Flags & GntMap.DeviceMap) != 0) mappingRefs[act.Mfn] = mappingRefs.GetValueOrDefault(act.Mfn) + 1;
        }
    }
}

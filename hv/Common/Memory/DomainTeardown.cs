namespace XenLite.Hv.Common.Memory;

/// <summary>
/// Xen's domain_relinquish_resources for memory: the dying domain's grant mappings go, every
/// foreign mapping of its frames goes, and every frame it owns returns to the free pool.
/// Unlike Xen, which keeps a dying domain as a zombie until others drop their references,
/// the hosted model revokes those references here, so a destroyed id owns nothing at all.
/// </summary>
public static class DomainTeardown
{
    public static void Relinquish(Domain d)
    {
        Hypervisor hv = d.Hv;
        if (d.Grants != null) Grants.GrantRelease.Release(d);
        DropForeignMappings(d, d);
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain e = hv.Lookup(id);
            if (e != null && e != d) DropForeignMappings(e, d);
        }
        for (ulong g = 0; g < d.P2m.Size; g++) d.P2m.Clear(new Gfn(g));

        MachineMemory mem = hv.Memory;
        for (ulong f = mem.FirstFrame; f < mem.MaxPage; f++)
            if (mem.OwnerOf(new Mfn(f)) == d.Id) mem.Free(new Mfn(f));
        d.TotPages = 0;
        mem.OutstandingClaims -= d.OutstandingPages;
        d.OutstandingPages = 0;
    }

    /// <summary>Removes <paramref name="e"/>'s foreign (acquire_resource, gmfn_foreign) mappings of frames
    /// owned by <paramref name="owner"/> — or of anyone's, when e is the dying domain itself.</summary>
    static void DropForeignMappings(Domain e, Domain owner)
    {
        MachineMemory mem = e.Hv.Memory;
        for (ulong g = 0; g < e.P2m.Size; g++)
        {
            var gfn = new Gfn(g);
            if (e.P2m.TypeOf(gfn) != P2mType.Foreign) continue;
            Mfn mfn = e.P2m.Lookup(gfn);
            if (e != owner && mem.OwnerOf(mfn) != owner.Id) continue;
            e.P2m.Clear(gfn);
            DomainPages.Put(e.Hv, mfn);
        }
    }
}

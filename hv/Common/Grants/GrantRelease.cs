namespace XenLite.Hv.Common.Grants;

/// <summary>
/// Xen's gnttab_release_mappings for a dying domain: every mapping it holds is undone; and,
/// because the hosted model keeps no zombie domains, every mapping others hold of its grants
/// is revoked (their p2m entries go) before its frames are freed.
/// </summary>
public static class GrantRelease
{
    public static void Release(Domain d)
    {
        ReleaseHeldBy(d, null);
        for (uint id = 0; id < Hypervisor.MaxDomains; id++)
        {
            Domain e = d.Hv.Lookup(id);
            if (e != null && e != d && e.Grants != null) ReleaseHeldBy(e, d);
        }
    }

    /// <summary>Undoes <paramref name="holder"/>'s mappings of <paramref name="granter"/>'s grants (all of them when null).</summary>
    static void ReleaseHeldBy(Domain holder, Domain granter)
    {
        GrantTable t = holder.Grants;
        for (uint h = 0; h < t.MaptrackLimit; h++)
        {
            ref MapTrackEntry m = ref t.Map(h);
            if (m.Flags == 0) continue;
            if (granter != null && m.Domid != granter.Id) continue;
            GrantMapping.ForceUnmap(holder, h);
        }
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.MemoryOps;

/// <summary>
/// The x86 e820 sub-ops: a domain's own map (memory_map), the machine's (machine_memory_map,
/// privileged) and a toolstack setting a domain's map (set_memory_map).
/// </summary>
public static unsafe class MemoryMaps
{
    public static long Get(Vcpu v, ulong cmd, ulong arg, bool compat)
    {
        if (ReadMap(v, arg, compat, out uint nr, out ulong buffer) != 0) return -Errno.EFAULT;
        E820Entry[] map = v.Domain.MemoryMap;
        // Backwards compatibility: a domain nobody gave a map to gets -ENOSYS.
        if (map == null || map.Length == 0) return -Errno.ENOSYS;
        if (nr > (uint)map.Length) nr = (uint)map.Length;
        for (uint i = 0; i < nr; i++)
        {
            E820Entry e = map[i];
            if (GuestMemory.Write(v, buffer + i * (ulong)sizeof(E820Entry), in e) != 0) return -Errno.EFAULT;
        }
        return WriteCount(v, arg, nr) != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>The host's RAM as one e820 entry (the hosted machine has no firmware map or I/O holes to report).</summary>
    public static long Machine(Vcpu v, ulong cmd, ulong arg, bool compat)
    {
        int rc = v.Hv.Xsm.MachineMemoryMap(v.Domain);
        if (rc != 0) return rc;
        if (ReadMap(v, arg, compat, out uint nr, out ulong buffer) != 0) return -Errno.EFAULT;
        MachineMemory mem = v.Hv.Memory;
        var ram = new E820Entry { Addr = mem.FirstFrame << Page.Shift, Size = mem.FrameCount << Page.Shift, Type = E820Entry.Ram };
        const uint entries = 1;
        bool store = buffer != 0;
        if (store && nr < entries + 1) return -Errno.EINVAL;
        if (store && !GuestMemory.RangeOkay(v, buffer, (ulong)nr * (ulong)sizeof(E820Entry))) return -Errno.EFAULT;
        if (store && GuestMemory.Write(v, buffer, in ram) != 0) return -Errno.EFAULT;
        return WriteCount(v, arg, entries) != 0 ? -Errno.EFAULT : 0;
    }

    public static long Set(Vcpu v, ulong cmd, ulong arg, bool compat)
    {
        ushort domid;
        uint nr;
        ulong buffer;
        if (compat)
        {
            if (GuestMemory.Read(v, arg, out XenForeignMemoryMapCompat c) != 0) return -Errno.EFAULT;
            domid = c.DomId; nr = c.Map.NrEntries; buffer = c.Map.Buffer;
        }
        else
        {
            if (GuestMemory.Read(v, arg, out XenForeignMemoryMap f) != 0) return -Errno.EFAULT;
            domid = f.DomId; nr = f.Map.NrEntries; buffer = f.Map.Buffer;
        }
        if (nr > E820Entry.Max) return -Errno.EINVAL;
        Domain d = v.Hv.LookupOrSelf(v, domid);
        if (d == null) return -Errno.ESRCH;
        int rc = v.Hv.Xsm.DomainMemoryMap(v.Domain, d);
        if (rc != 0) return rc;
        var map = new E820Entry[nr];
        for (uint i = 0; i < nr; i++)
            if (GuestMemory.Read(v, buffer + i * (ulong)sizeof(E820Entry), out map[i]) != 0) return -Errno.EFAULT;
        d.MemoryMap = map;
        return 0;
    }

    static int ReadMap(Vcpu v, ulong arg, bool compat, out uint nr, out ulong buffer)
    {
        nr = 0;
        buffer = 0;
        if (compat)
        {
            if (GuestMemory.Read(v, arg, out XenMemoryMapCompat c) != 0) return -Errno.EFAULT;
            nr = c.NrEntries; buffer = c.Buffer;
            return 0;
        }
        if (GuestMemory.Read(v, arg, out XenMemoryMap m) != 0) return -Errno.EFAULT;
        nr = m.NrEntries; buffer = m.Buffer;
        return 0;
    }

    static int WriteCount(Vcpu v, ulong arg, uint nr) => GuestMemory.Write(v, arg, in nr);
}

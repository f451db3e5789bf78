using XenLite.Hv.Abi;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Common.Vcpus;

/// <summary>
/// Publishes a vCPU's vcpu_time_info (Xen's update_vcpu_system_time): in its vcpu_info and in
/// any time area it registered. Version goes odd before the write and even after, so a guest
/// that reads the same even version before and after its read has a consistent record.
/// </summary>
public static unsafe class VcpuTime
{
    public static void Update(Vcpu v)
    {
        VcpuTimeInfo t = Snapshot(v.Hv);
        byte* info = v.Events.Info;
        if (info != null) Publish((VcpuTimeInfo*)(info + v.Domain.SharedInfo.Layout.Time), t);
        VcpuOpState s = v.VcpuOp;
        if (s.TimeArea != null) Publish((VcpuTimeInfo*)s.TimeArea, t);
        if (s.TimeGuest != 0) PublishToGuest(v, s.TimeGuest, t);
    }

    /// <summary>The record for now: system time, the TSC at that time, and the TSC→ns scale.</summary>
    public static VcpuTimeInfo Snapshot(Hypervisor hv)
    {
        GuestClock c = hv.Clock;
        ulong now = hv.Platform.NowNs();
        VcpuTimeInfo t = default;
        t.SystemTime = now;
        t.TscTimestamp = c.TscAt(now);
        t.TscToSystemMul = c.TscToSystemMul;
        t.TscShift = c.TscShift;
        // Our TSC runs at one rate on every CPU, so guests may trust it across vCPUs.
        t.Flags = PvClockFlags.TscStableBit;
        return t;
    }

    static void Publish(VcpuTimeInfo* dst, in VcpuTimeInfo t)
    {
        uint version = (dst->Version + 1) | 1;
        dst->Version = version;
        dst->TscTimestamp = t.TscTimestamp;
        dst->SystemTime = t.SystemTime;
        dst->TscToSystemMul = t.TscToSystemMul;
        dst->TscShift = t.TscShift;
        dst->Flags = t.Flags;
        dst->Version = version + 1;
    }

    /// <summary>The VA-registered area: read the old version, write odd, the record, then even (faults are ignored, as in Xen).</summary>
    static void PublishToGuest(Vcpu v, ulong addr, in VcpuTimeInfo t)
    {
        uint version;
        if (GuestMemory.Read(v, addr, out version) != 0) return;
        VcpuTimeInfo copy = t;
        copy.Version = (version + 1) | 1;
        if (GuestMemory.Write(v, addr, copy) != 0) return;
        GuestMemory.Write(v, addr, copy.Version + 1);
    }
}

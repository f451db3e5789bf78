using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Events;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Plugin.Xenoprof;

/// <summary>
/// xenoprof_op(op, arg) (xenoprof.c do_xenoprof_op). Only init, get_buffer, enable_virq and
/// disable_virq are open to every domain; the rest belong to the primary profiler, the
/// hardware domain once it has called init. Xen's xsm_profile hook (XSM_HOOK: always allowed
/// by the dummy module) left the XSM interface with xenoprof, so no hook is consulted.
/// </summary>
public static unsafe class XenoprofOp
{
    public static long Handle(Vcpu v, ref HypercallArgs a) => Run(v, (int)a[0], a[1], false);

    public static long HandleCompat(Vcpu v, ref HypercallArgs a) => Run(v, (int)a[0], a[1], true);

    static bool OpenToAll(int op) =>
        op == XenoprofCmd.Init || op == XenoprofCmd.EnableVirq || op == XenoprofCmd.DisableVirq || op == XenoprofCmd.GetBuffer;

    static long Run(Vcpu v, int op, ulong arg, bool compat)
    {
        if (op < 0 || op > XenoprofCmd.LastOp) return -Errno.EINVAL;
        XenoprofState x = XenoprofState.Of(v.Hv);
        Domain d = v.Domain;
        if (!OpenToAll(op) && d != x.PrimaryProfiler) return -Errno.EPERM;

        switch (op)
        {
            case XenoprofCmd.Init:
            {
                int rc = Init(v, x, arg);
                if (rc == 0 && d == x.PrimaryProfiler) x.Phase = XenoprofPhase.Initialized;
                return rc;
            }
            case XenoprofCmd.GetBuffer:
                // The PMU is xenoprof's or nobody's here: no vPMU takes it in this build.
                x.OwnsPmu = true;
                return GetBuffer(v, x, arg, compat);
            case XenoprofCmd.ResetActiveList:
                ResetActiveList(x);
                return 0;
            case XenoprofCmd.ResetPassiveList:
                ResetPassiveList(x);
                return 0;
            case XenoprofCmd.SetActive:
            {
                if (x.Phase != XenoprofPhase.Initialized) return -Errno.EPERM;
                if (GuestMemory.Read(v, arg, out ushort domid) != 0) return -Errno.EFAULT;
                return AddActive(x, domid);
            }
            case XenoprofCmd.SetPassive:
                if (x.Phase != XenoprofPhase.Initialized) return -Errno.EPERM;
                return AddPassive(v, x, arg);
            case XenoprofCmd.ReserveCounters:
            {
                if (x.Phase != XenoprofPhase.Initialized) return -Errno.EPERM;
                int rc = x.Pmu.Reserve();
                if (rc == 0) x.Phase = XenoprofPhase.CountersReserved;
                return rc;
            }
            case XenoprofCmd.Counter:
                if (x.Phase != XenoprofPhase.CountersReserved || x.Adomains == 0) return -Errno.EPERM;
                return compat ? CounterCompat(v, x, arg) : Counter(v, x, arg);
            case XenoprofCmd.SetupEvents:
            {
                if (x.Phase != XenoprofPhase.CountersReserved) return -Errno.EPERM;
                int rc = x.Pmu.Setup(x.Counters, in x.Ibs);
                if (rc == 0) x.Phase = XenoprofPhase.Ready;
                return rc;
            }
            case XenoprofCmd.EnableVirq:
                return EnableVirq(x, d);
            case XenoprofCmd.Start:
            {
                if (x.Phase != XenoprofPhase.Ready || x.Activated != x.Adomains) return -Errno.EPERM;
                int rc = x.Pmu.Start();
                if (rc == 0) x.Phase = XenoprofPhase.Profiling;
                return rc;
            }
            case XenoprofCmd.Stop:
                return Stop(x);
            case XenoprofCmd.DisableVirq:
            {
                if (x.Phase == XenoprofPhase.Profiling && x.IsActive(d)) return -Errno.EPERM;
                int rc = ResetActive(x, d);
                if (rc != 0) return rc;
                x.BuffersOf(d).Unshare();
                x.OwnsPmu = false;
                return 0;
            }
            case XenoprofCmd.ReleaseCounters:
                if (x.Phase != XenoprofPhase.CountersReserved && x.Phase != XenoprofPhase.Ready) return -Errno.EPERM;
                x.Phase = XenoprofPhase.Initialized;
                x.Pmu.Release();
                x.Pmu.DisableInterrupt();
                ResetPassiveList(x);
                return 0;
            case XenoprofCmd.Shutdown:
                // The phase stays Initialized: the next init by the hardware domain makes it primary again.
                if (x.Phase != XenoprofPhase.Initialized) return -Errno.EPERM;
                x.Activated = 0;
                x.Adomains = 0;
                x.PrimaryProfiler = null;
                x.BacktraceDepth = 0;
                return 0;
            case XenoprofCmd.SetBacktrace:
            {
                // x86 always supports backtraces; the depth is an unsigned long (8 bytes) for every caller.
                if (GuestMemory.Read(v, arg, out ulong depth) != 0) return -Errno.EFAULT;
                x.BacktraceDepth = depth;
                return 0;
            }
            case XenoprofCmd.IbsCounter:
                if (x.Phase != XenoprofPhase.CountersReserved || x.Adomains == 0) return -Errno.EPERM;
                return IbsCounter(v, x, arg);
            default: // XenoprofCmd.GetIbsCaps
                return x.Pmu != null ? x.Pmu.IbsCaps : 0;
        }
    }

    /// <summary>XENOPROF_init: the PMU's description; the hardware domain becomes the primary profiler.</summary>
    static int Init(Vcpu v, XenoprofState x, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out XenoprofInitArg init) != 0) return -Errno.EFAULT;
        // xenoprof_arch_init: no oprofile model for this CPU.
        if (x.Pmu == null || x.Pmu.CpuType == null) return -Errno.ENODEV;
        init.NumEvents = x.Pmu.NumCounters;
        string type = x.Pmu.CpuType;
        int n = type.Length < XenoprofLimits.CpuTypeSize - 1 ? type.Length : XenoprofLimits.CpuTypeSize - 1;
        for (int i = 0; i < XenoprofLimits.CpuTypeSize; i++) init.CpuType[i] = i < n ? (byte)type[i] : (byte)0;

        Domain d = v.Domain;
        bool primary = x.PrimaryProfiler == d || (x.PrimaryProfiler == null && d.IsHardware);
        init.IsPrimary = primary ? 1 : 0;
        if (primary) x.PrimaryProfiler = d;
        return GuestMemory.Write(v, arg, in init) != 0 ? -Errno.EFAULT : 0;
    }

    /// <summary>XENOPROF_get_buffer: the caller's own buffers, made on first call and shared with it.</summary>
    static int GetBuffer(Vcpu v, XenoprofState x, ulong arg, bool compat)
    {
        int maxSamples;
        if (compat)
        {
            if (GuestMemory.Read(v, arg, out XenoprofGetBufferArgCompat c) != 0) return -Errno.EFAULT;
            maxSamples = c.MaxSamples;
        }
        else
        {
            if (GuestMemory.Read(v, arg, out XenoprofGetBufferArg g) != 0) return -Errno.EFAULT;
            maxSamples = g.MaxSamples;
        }
        Domain d = v.Domain;
        XenoprofBuffers b = x.BuffersOf(d);
        if (b == null)
        {
            int rc = XenoprofBuffers.Allocate(d, maxSamples, GuestModes.Is32Bit(d.Mode), out b);
            if (rc < 0) return rc;
            x.SetBuffers(d, b);
        }
        else
        {
            b.Type = ProfiledAs.Ignored;
        }
        int share = b.Share(d);
        if (share < 0) return share;
        b.Reset();
        if (compat)
        {
            var c = new XenoprofGetBufferArgCompat { MaxSamples = maxSamples, Nbuf = b.Nbuf, Bufsize = b.Bufsize, BufGmaddr = b.Maddr };
            return GuestMemory.Write(v, arg, in c) != 0 ? -Errno.EFAULT : 0;
        }
        var g2 = new XenoprofGetBufferArg { MaxSamples = maxSamples, Nbuf = b.Nbuf, Bufsize = b.Bufsize, BufGmaddr = b.Maddr };
        return GuestMemory.Write(v, arg, in g2) != 0 ? -Errno.EFAULT : 0;
    }

    static int AddActive(XenoprofState x, ushort domid)
    {
        if (x.Adomains >= XenoprofLimits.MaxOprofDomains) return -Errno.E2BIG;
        Domain t = x.Hv.Lookup(domid);
        if (t == null) return -Errno.EINVAL;
        x.ActiveDomains[x.Adomains] = t;
        x.ActiveReady[x.Adomains] = false;
        x.Adomains++;
        return 0;
    }

    /// <summary>XENOPROF_set_passive: the profiler reads another domain's samples through buffers shared with it.</summary>
    static int AddPassive(Vcpu v, XenoprofState x, ulong arg)
    {
        if (x.Pdomains >= XenoprofLimits.MaxOprofDomains) return -Errno.E2BIG;
        if (GuestMemory.Read(v, arg, out XenoprofPassiveArg p) != 0) return -Errno.EFAULT;
        Domain t = x.Hv.Lookup(p.DomainId);
        if (t == null) return -Errno.EINVAL;
        XenoprofBuffers b = x.BuffersOf(t);
        if (b == null)
        {
            // Laid out for the reader, the profiler (Xen: the hardware domain).
            if (XenoprofBuffers.Allocate(t, p.MaxSamples, GuestModes.Is32Bit(v.Domain.Mode), out b) < 0) return -Errno.ENOMEM;
            x.SetBuffers(t, b);
        }
        int rc = b.Share(v.Domain);
        if (rc < 0) return rc;
        b.Type = ProfiledAs.Passive;
        p.Nbuf = b.Nbuf;
        p.Bufsize = b.Bufsize;
        p.BufGmaddr = b.Maddr;
        if (GuestMemory.Write(v, arg, in p) != 0) return -Errno.EFAULT;
        x.PassiveDomains[x.Pdomains++] = t;
        return 0;
    }

    static int Counter(Vcpu v, XenoprofState x, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out XenoprofCounterArg c) != 0) return -Errno.EFAULT;
        return SetCounter(x, c.Ind, c.Count, c.Enabled, c.Event, c.Kernel, c.User, c.UnitMask);
    }

    static int CounterCompat(Vcpu v, XenoprofState x, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out XenoprofCounterArgCompat c) != 0) return -Errno.EFAULT;
        return SetCounter(x, c.Ind, c.Count, c.Enabled, c.Event, c.Kernel, c.User, c.UnitMask);
    }

    // The hypervisor field of xenoprof_counter is accepted and ignored, as on x86.
    static int SetCounter(XenoprofState x, uint ind, ulong count, uint enabled, uint evt, uint kernel, uint user, ulong unitMask)
    {
        if (ind >= XenoprofLimits.MaxCounters) return -Errno.E2BIG;
        ref CounterConfig c = ref x.Counters[ind];
        c.Count = count;
        c.Enabled = enabled;
        c.Event = evt;
        c.Kernel = kernel;
        c.User = user;
        c.UnitMask = unitMask;
        return 0;
    }

    static int IbsCounter(Vcpu v, XenoprofState x, ulong arg)
    {
        if (GuestMemory.Read(v, arg, out XenoprofIbsCounterArg c) != 0) return -Errno.EFAULT;
        x.Ibs.OpEnabled = c.OpEnabled;
        x.Ibs.FetchEnabled = c.FetchEnabled;
        x.Ibs.MaxCntFetch = c.MaxCntFetch;
        x.Ibs.MaxCntOp = c.MaxCntOp;
        x.Ibs.RandEn = c.RandEn;
        x.Ibs.DispatchedOps = c.DispatchedOps;
        return 0;
    }

    /// <summary>XENOPROF_enable_virq: the caller's rings are emptied and it joins as active; the primary first arms the PMU.</summary>
    static int EnableVirq(XenoprofState x, Domain d)
    {
        if (d == x.PrimaryProfiler)
        {
            if (x.Phase != XenoprofPhase.Ready) return -Errno.EPERM;
            x.Pmu.EnableInterrupt();
            x.ResetStats();
            for (int i = 0; i < x.Pdomains; i++)
            {
                Domain p = x.PassiveDomains[i];
                XenoprofBuffers pb = p != null ? x.BuffersOf(p) : null;
                if (pb != null) pb.Reset();
            }
        }
        XenoprofBuffers b = x.BuffersOf(d);
        if (b != null) b.Reset();
        return SetActive(x, d);
    }

    static int ActiveIndex(XenoprofState x, Domain d)
    {
        for (int i = 0; i < x.Adomains; i++)
            if (x.ActiveDomains[i] == d) return i;
        return -1;
    }

    // Like Xen, a second enable_virq counts the domain twice, and start then refuses.
    static int SetActive(XenoprofState x, Domain d)
    {
        int ind = ActiveIndex(x, d);
        XenoprofBuffers b = x.BuffersOf(d);
        if (ind < 0 || b == null) return -Errno.EPERM;
        b.Type = ProfiledAs.Active;
        x.ActiveReady[ind] = true;
        x.Activated++;
        return 0;
    }

    static int ResetActive(XenoprofState x, Domain d)
    {
        int ind = ActiveIndex(x, d);
        XenoprofBuffers b = x.BuffersOf(d);
        if (ind < 0 || b == null) return -Errno.EPERM;
        b.Type = ProfiledAs.Ignored;
        x.ActiveReady[ind] = false;
        x.ActiveDomains[ind] = null;
        x.Activated--;
        if (x.Activated <= 0) x.Adomains = 0;
        return 0;
    }

    static void ResetActiveList(XenoprofState x)
    {
        for (int i = 0; i < x.Adomains; i++)
            if (x.ActiveReady[i] && x.ActiveDomains[i] != null) ResetActive(x, x.ActiveDomains[i]);
        x.Adomains = 0;
        x.Activated = 0;
    }

    static void ResetPassiveList(XenoprofState x)
    {
        for (int i = 0; i < x.Pdomains; i++)
        {
            Domain p = x.PassiveDomains[i];
            XenoprofBuffers b = p != null ? x.BuffersOf(p) : null;
            if (b != null)
            {
                b.Type = ProfiledAs.Ignored;
                b.Unshare();
            }
            x.PassiveDomains[i] = null;
        }
        x.Pdomains = 0;
    }

    /// <summary>XENOPROF_stop: counters off, then every active vCPU is told to drain what is left.</summary>
    static int Stop(XenoprofState x)
    {
        if (x.Phase != XenoprofPhase.Profiling) return -Errno.EPERM;
        x.Pmu.Stop();
        for (int i = 0; i < x.Adomains; i++)
        {
            if (!x.ActiveReady[i] || x.ActiveDomains[i] == null) continue;
            Domain d = x.ActiveDomains[i];
            for (int j = 0; j < d.Vcpus.Length; j++) Virqs.SendVcpu(d.Vcpus[j], Virq.Xenoprof);
        }
        x.Phase = XenoprofPhase.Ready;
        return 0;
    }
}

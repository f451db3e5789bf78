using System;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Domctl;

/// <summary>A toolstack's side of domctl/sysctl: the struct at a fixed guest-physical place, union filled by the test.</summary>
public static unsafe class DomctlRig
{
    public const ulong ArgGpa = 0x1000;
    public const ulong BufGpa = 0x3000;
    public const ulong Buf2Gpa = 0x5000;
    public const ushort DomidAny = 0x7FF5;

    /// <summary>Issues domctl(cmd, domain) from <paramref name="v"/>; <paramref name="fill"/> writes the union.</summary>
    public static long Domctl(this TestMachine m, Vcpu v, uint cmd, uint domain, UnionFill fill = null, uint? version = null)
    {
        var op = new XenDomctl { Cmd = cmd, InterfaceVersion = version ?? DomctlCmd.InterfaceVersion, Domain = (ushort)domain };
        fill?.Invoke(op.U);
        m.PokeStruct(v.Domain, ArgGpa, op);
        return m.Call(v, HypercallNumber.Domctl, TestMachine.GuestAddr(v.Domain, ArgGpa));
    }

    public delegate void UnionFill(byte* u);

    /// <summary>The struct as the hypervisor left it in the caller's memory.</summary>
    public static XenDomctl Back(this TestMachine m, Vcpu v) => m.PeekStruct<XenDomctl>(v.Domain, ArgGpa);

    public static T Union<T>(this TestMachine m, Vcpu v) where T : unmanaged
    {
        XenDomctl op = m.Back(v);
        return *(T*)op.U;
    }

    public static UnionFill With<T>(T value) where T : unmanaged => u => *(T*)u = value;

    /// <summary>A createdomain config that Xen accepts: HVM+HAP, one vCPU, grant v1 allowed, default grant limits.</summary>
    public static DomctlCreateDomain HvmConfig(uint vcpus = 1) => new()
    {
        Flags = DomctlCdf.Hvm | DomctlCdf.Hap, MaxVcpus = vcpus, MaxEvtchnPort = 1023,
        MaxGrantFrames = -1, MaxMaptrackFrames = -1, GrantOpts = 2,
    };

    /// <summary>createdomain from dom0's vCPU 0; returns the new id (or throws with the errno).</summary>
    public static Domain Create(this TestMachine m, Domain dom0, DomctlCreateDomain cfg, ushort domid = DomidAny)
    {
        long rc = m.Domctl(dom0.Vcpus[0], DomctlCmd.CreateDomain, domid, With(cfg));
        if (rc != 0) throw new InvalidOperationException($"createdomain: {rc}");
        return m.Hv.Lookup(m.Back(dom0.Vcpus[0]).Domain);
    }

    public static long GetInfo(this TestMachine m, Vcpu v, uint domid, out DomctlGetDomainInfo info)
    {
        long rc = m.Domctl(v, DomctlCmd.GetDomainInfo, domid);
        info = m.Union<DomctlGetDomainInfo>(v);
        return rc;
    }

    public static long Sysctl(this TestMachine m, Vcpu v, uint cmd, UnionFill fill = null, uint? version = null)
    {
        var op = new XenSysctl { Cmd = cmd, InterfaceVersion = version ?? SysctlCmd.InterfaceVersion };
        fill?.Invoke(op.U);
        m.PokeStruct(v.Domain, ArgGpa, op);
        return m.Call(v, HypercallNumber.Sysctl, TestMachine.GuestAddr(v.Domain, ArgGpa));
    }

    public static T SysUnion<T>(this TestMachine m, Vcpu v) where T : unmanaged
    {
        XenSysctl op = m.PeekStruct<XenSysctl>(v.Domain, ArgGpa);
        return *(T*)op.U;
    }
}

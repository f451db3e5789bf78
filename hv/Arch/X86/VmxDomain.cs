using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>A domain's VMX life: EPT from its p2m (kept in step by <see cref="NptSync"/>), and per vCPU a VMCS and the guest-state record.</summary>
public static unsafe class VmxDomain
{
    /// <summary>Sets up VMX for an HVM/PVH domain whose P2m is populated; false (nothing kept) when out of memory. PV guests need SVM's container.</summary>
    public static bool Create(SvmHost host, Domain d)
    {
        MachineMemory mem = host.Hv.Memory;
        VmxHost vmx = host.Vmx;
        if (GuestModes.IsPv(d.Mode))
        {
            host.Hv.Console.WriteLine("(XEN) VMX: PV guests run only in the SVM container");
            return false;
        }
        d.X86 = new X86DomainState { Ept = true };
        d.X86.NptRoot = Npt.NewRoot(mem);
        if (!d.X86.NptRoot.IsValid || !Npt.Build(mem, d.X86.NptRoot, d.P2m, ept: true)) return Fail(host, d);
        d.X86.Eptp = Npt.EptPointer(d.X86.NptRoot);
        d.P2m.Observer = new NptSync(host, d);
        host.Track(d);

        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            var s = new X86VcpuState
            {
                VmcbFrame = mem.Allocate(SvmHost.FrameOwner), VmcsFrame = vmx.NewRegion(mem), MsrFrame = mem.Allocate(SvmHost.FrameOwner),
            };
            d.Vcpus[i].X86 = s;
            if (!s.VmcbFrame.IsValid || !s.VmcsFrame.IsValid || !s.MsrFrame.IsValid) return Fail(host, d);
            s.Vmcb = (Vmcb*)mem.Map(s.VmcbFrame);
            s.MsrArea = (VmxMsrEntry*)mem.Map(s.MsrFrame);
            if (!VmxState.Setup(vmx, d, s)) return Fail(host, d);
        }
        return true;
    }

    /// <summary>VMCLEARs and frees each vCPU's VMCS and its MSR-list page (the rest is SvmDomain.Destroy's).</summary>
    public static void ReleaseVmcs(SvmHost host, Domain d)
    {
        for (int i = 0; i < d.Vcpus.Length; i++)
        {
            X86VcpuState s = d.Vcpus[i].X86;
            if (s == null) continue;
            if (s.VmcsFrame.IsValid)
            {
                host.Vmx.Clear(s.VmcsFrame.ToMaddr().Value);
                host.Hv.Memory.Free(s.VmcsFrame);
                s.VmcsFrame = Mfn.Invalid;
            }
            if (s.MsrFrame.IsValid) host.Hv.Memory.Free(s.MsrFrame);
            s.MsrFrame = Mfn.Invalid;
            s.MsrArea = null;
        }
    }

    static bool Fail(SvmHost host, Domain d)
    {
        SvmDomain.Destroy(host, d);
        return false;
    }
}

using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// VMX on one physical CPU: IA32_FEATURE_CONTROL checked (locked by us when firmware left it
/// open), the control words and CR0/CR4 fixed bits read once from the capability MSRs, the
/// VMXON region, and which VMCS is current (one CPU, so VMPTRLD only when the vCPU changes).
/// </summary>
public sealed unsafe class VmxHost
{
    public readonly X86Cpu Cpu;
    public readonly uint Revision;
    public readonly VmxControls Controls;
    public readonly ulong Cr0Fixed0, Cr0Fixed1, Cr4Fixed0, Cr4Fixed1;
    public readonly bool SingleContextInvept;
    ulong _current = ulong.MaxValue;

    VmxHost(X86Cpu cpu, uint revision, VmxControls controls, ulong f0, ulong f1, ulong g0, ulong g1, bool single)
    {
        Cpu = cpu; Revision = revision; Controls = controls;
        Cr0Fixed0 = f0; Cr0Fixed1 = f1; Cr4Fixed0 = g0; Cr4Fixed1 = g1;
        SingleContextInvept = single;
    }

    /// <summary>Checks VMX with EPT and unrestricted guest, executes VMXON; null (with a console line) when it cannot.</summary>
    public static VmxHost Start(Hypervisor hv, X86Cpu cpu)
    {
        ulong fc = cpu.ReadMsr(VmxMsr.FeatureControl);
        if ((fc & VmxMsr.FeatureLock) == 0)
            cpu.WriteMsr(VmxMsr.FeatureControl, fc | VmxMsr.FeatureLock | VmxMsr.FeatureVmxOutsideSmx);
        else if ((fc & VmxMsr.FeatureVmxOutsideSmx) == 0)
            return Refuse(hv, "VMX: disabled by firmware (IA32_FEATURE_CONTROL)");
        if (!VmxControls.From(cpu, out VmxControls controls, out string missing))
        {
            hv.Console.Write("VMX: the CPU lacks ");
            return Refuse(hv, missing);
        }
        ulong ept = cpu.ReadMsr(VmxMsr.EptVpidCap);
        if ((ept & VmxMsr.EptWalk4) == 0 || (ept & VmxMsr.EptWb) == 0 || (ept & VmxMsr.Invept) == 0)
            return Refuse(hv, "VMX: EPT without 4-level write-back tables or INVEPT");

        uint revision = (uint)cpu.ReadMsr(VmxMsr.Basic) & 0x7FFF_FFFF;
        var host = new VmxHost(cpu, revision, controls,
            cpu.ReadMsr(VmxMsr.Cr0Fixed0), cpu.ReadMsr(VmxMsr.Cr0Fixed1), cpu.ReadMsr(VmxMsr.Cr4Fixed0), cpu.ReadMsr(VmxMsr.Cr4Fixed1),
            (ept & VmxMsr.InveptSingle) != 0);
        Mfn region = host.NewRegion(hv.Memory);
        if (!region.IsValid) return Refuse(hv, "VMX: out of memory for the VMXON region");
        if (!cpu.VmxOn(region.ToMaddr().Value, host.Cr0Fixed0, host.Cr4Fixed0))
            return Refuse(hv, "VMX: VMXON failed");
        return host;
    }

    /// <summary>A zeroed hypervisor frame headed by the VMCS revision id (VMXON region or VMCS).</summary>
    public Mfn NewRegion(MachineMemory mem)
    {
        Mfn f = mem.Allocate(SvmHost.FrameOwner);
        if (!f.IsValid) return f;
        uint* p = (uint*)mem.Map(f);
        for (int i = 0; i < (int)(Page.Size / 4); i++) p[i] = 0;
        p[0] = Revision;
        return f;
    }

    /// <summary>Makes the VMCS at <paramref name="vmcs"/> current (VMPTRLD) unless it already is.</summary>
    public bool MakeCurrent(ulong vmcs)
    {
        if (_current == vmcs) return true;
        if (!Cpu.VmPtrLoad(vmcs)) return false;
        _current = vmcs;
        return true;
    }

    /// <summary>VMCLEAR: the VMCS goes back to memory, inactive and not launched (before its frame is reused).</summary>
    public void Clear(ulong vmcs)
    {
        Cpu.VmClear(vmcs);
        if (_current == vmcs) _current = ulong.MaxValue;
    }

    /// <summary>Drops every EPT-derived translation of one domain (single-context INVEPT when offered, else all contexts).</summary>
    public void FlushEpt(ulong eptp) => Cpu.InvEpt(SingleContextInvept ? 1 : 2, eptp);

    static VmxHost Refuse(Hypervisor hv, string why)
    {
        hv.Console.WriteLine(why);
        return null;
    }
}

using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Hardware virtualization on one physical CPU, chosen at boot by vendor (<see cref="VirtChoice"/>):
/// AMD SVM (this class owns the host save area, the I/O and MSR permission maps every guest
/// shares, and the ASIDs handed to domains) or Intel VMX (<see cref="Vmx"/> set; no maps or
/// ASIDs). The rest of the x86 code holds this one host whichever it is.
/// </summary>
public sealed unsafe class SvmHost
{
    /// <summary>Frames the hypervisor keeps for itself (VMCBs, nested tables, maps) belong to DOMID_XEN.</summary>
    public const ushort FrameOwner = (ushort)DomainIds.Xen;

    public const uint MsrEfer = 0xC000_0080, MsrVmCr = 0xC001_0114, MsrVmHsavePa = 0xC001_0117;
    const ulong VmCrSvmDis = 1UL << 4;
    const uint CpuidSvm = 1u << 2;      // 0x80000001 ECX
    const uint CpuidSvmNp = 1u << 0;    // 0x8000000A EDX

    public const ulong IopmFrames = 3, MsrpmFrames = 2;

    public readonly Hypervisor Hv;
    public readonly X86Cpu Cpu;
    public readonly ulong IopmMaddr;
    public readonly ulong MsrpmMaddr;
    /// <summary>Set when the CPU runs guests with Intel VMX instead of SVM.</summary>
    public readonly VmxHost Vmx;
    readonly bool[] _asidUsed;
    /// <summary>Domains holding SVM state, by id: one destroyed by a domctl is released by <see cref="ReleaseDestroyed"/>.</summary>
    readonly Domain[] _withState = new Domain[Hypervisor.MaxDomains];

    /// <summary>Exits seen, by exit code (Jailhouse-style counters); NPF and others in the last two slots.</summary>
    public readonly ulong[] ExitCounts = new ulong[SvmExit.TableSize + 2];

    SvmHost(Hypervisor hv, X86Cpu cpu, ulong iopm, ulong msrpm, uint asids)
    {
        Hv = hv;
        Cpu = cpu;
        IopmMaddr = iopm;
        MsrpmMaddr = msrpm;
        _asidUsed = new bool[asids];
        _asidUsed[0] = true; // ASID 0 is the host's
    }

    SvmHost(Hypervisor hv, X86Cpu cpu, VmxHost vmx)
    {
        Hv = hv;
        Cpu = cpu;
        Vmx = vmx;
        _asidUsed = new bool[1];
        _asidUsed[0] = true;
    }

    /// <summary>
    /// Intel with VMX: VMX with EPT (<see cref="VmxHost.Start"/>). Otherwise SVM: checks for SVM with
    /// nested paging, sets EFER.SVME and builds the shared maps. Names the choice on the console as
    /// Xen does ("HVM: VMX enabled"); null (with a console line) when it cannot.
    /// </summary>
    public static SvmHost Start(Hypervisor hv, X86Cpu cpu)
    {
        if (VirtChoice.Detect(cpu) == X86Virt.Vmx)
        {
            VmxHost vmx = VmxHost.Start(hv, cpu);
            if (vmx == null) return null;
            hv.Console.WriteLine("(XEN) HVM: VMX enabled (Intel), EPT and unrestricted guest");
            hv.Paging = HvmPageWalk.ForHost(cpu);   // the VMCB page is the guest-state record under VMX too
            return new SvmHost(hv, cpu, vmx);
        }
        cpu.Cpuid(0x8000_0000, 0, out uint maxExt, out _, out _, out _);
        cpu.Cpuid(0x8000_0001, 0, out _, out _, out uint extEcx, out _);
        if (maxExt < 0x8000_000A || (extEcx & CpuidSvm) == 0) return Refuse(hv, "SVM: not supported by this CPU");
        if ((cpu.ReadMsr(MsrVmCr) & VmCrSvmDis) != 0) return Refuse(hv, "SVM: disabled by firmware (VM_CR.SVMDIS)");
        cpu.Cpuid(0x8000_000A, 0, out _, out uint asids, out _, out uint svmFeatures);
        if ((svmFeatures & CpuidSvmNp) == 0) return Refuse(hv, "SVM: no nested paging");
        if (asids < 2) return Refuse(hv, "SVM: no guest ASIDs");

        MachineMemory mem = hv.Memory;
        Mfn hsave = mem.Allocate(FrameOwner);
        Mfn iopm = ContiguousFrames.Allocate(mem, FrameOwner, IopmFrames);
        Mfn msrpm = ContiguousFrames.Allocate(mem, FrameOwner, MsrpmFrames);
        if (!hsave.IsValid || !iopm.IsValid || !msrpm.IsValid) return Refuse(hv, "SVM: out of memory for the host save area and permission maps");

        // Every port traps: guests get no devices, only the debug console.
        Fill(mem, iopm, IopmFrames);
        Fill(mem, msrpm, MsrpmFrames);
        SvmMsrs.AllowDirect((byte*)mem.Map(msrpm));

        cpu.WriteEfer(cpu.ReadMsr(MsrEfer) | X86Bits.EferSvme);
        cpu.WriteMsr(MsrVmHsavePa, hsave.ToMaddr().Value);
        hv.Console.WriteLine("(XEN) HVM: SVM enabled (AMD), nested paging");
        hv.Paging = HvmPageWalk.ForHost(cpu);
        return new SvmHost(hv, cpu, iopm.ToMaddr().Value, msrpm.ToMaddr().Value, asids);
    }

    /// <summary>A free guest ASID, or 0 when all are taken.</summary>
    public uint AllocateAsid()
    {
        for (uint i = 1; i < (uint)_asidUsed.Length; i++)
        {
            if (_asidUsed[i]) continue;
            _asidUsed[i] = true;
            return i;
        }
        return 0;
    }

    public void FreeAsid(uint asid)
    {
        if (asid != 0 && asid < (uint)_asidUsed.Length) _asidUsed[asid] = false;
    }

    public void Track(Domain d) => _withState[d.Id] = d;

    public void Untrack(Domain d)
    {
        if (_withState[d.Id] == d) _withState[d.Id] = null;
    }

    /// <summary>Gives back the SVM state of domains that no longer exist (destroyed by a toolstack's domctl).</summary>
    public void ReleaseDestroyed()
    {
        for (uint id = 0; id < (uint)_withState.Length; id++)
        {
            Domain d = _withState[id];
            if (d != null && Hv.Lookup(id) != d) SvmDomain.Destroy(this, d);
        }
    }

    static SvmHost Refuse(Hypervisor hv, string why)
    {
        hv.Console.WriteLine(why);
        return null;
    }

    static void Fill(MachineMemory mem, Mfn first, ulong frames)
    {
        for (ulong f = 0; f < frames; f++)
        {
            ulong* p = (ulong*)mem.Map(new Mfn(first.Value + f));
            for (int i = 0; i < (int)(Page.Size / 8); i++) p[i] = ulong.MaxValue;
        }
    }
}

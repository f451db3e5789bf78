using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Plugin.Kexec;

/// <summary>
/// kexec's globals in Xen (kexec.c): the loaded default and crash images, the crash area
/// reserved with `crashkernel=`, the per-CPU crash notes and the vmcoreinfo note.
/// </summary>
public sealed class KexecState : PluginState
{
    /// <summary>Xen's nr_cpu_ids on x86 (kexec_op is an x86 PV row), the bound of KEXEC_RANGE_MA_CPU.</summary>
    public const int NrCpuIds = 256;
    /// <summary>VMCOREINFO_BYTES.</summary>
    public const ulong VmcoreinfoBytes = 4096;

    public readonly Hypervisor Hv;
    readonly KexecImage[] _images = new KexecImage[2];
    /// <summary>The crash area (kexec_crash_area): machine address and size; 0/0 without `crashkernel=`.</summary>
    public ulong CrashStart, CrashSize;
    /// <summary>The crash notes of each CPU, made on first request (kexec_init_cpu_notes); Invalid until then.</summary>
    readonly Mfn[] _cpuNotes = new Mfn[NrCpuIds];
    public readonly Mfn Vmcoreinfo;
    public bool VmcoreinfoSaved;
    /// <summary>KEXEC_FLAG_IN_PROGRESS: an exec has begun; images can no longer change.</summary>
    public bool InProgress;

    public KexecState(Hypervisor hv)
    {
        Hv = hv;
        for (int i = 0; i < NrCpuIds; i++) _cpuNotes[i] = Mfn.Invalid;
        Vmcoreinfo = hv.Memory.Allocate((ushort)DomainIds.Xen);
    }

    public static int Slot => PluginState.SlotOf(Feature.Kexec);

    /// <summary>This hypervisor's kexec state, made on first use when Init did not run.</summary>
    public static KexecState Of(Hypervisor hv)
    {
        PluginState s = hv.Plugins[Slot];
        if (s != null) return (KexecState)s;
        var k = new KexecState(hv);
        hv.Plugins[Slot] = k;
        return k;
    }

    /// <summary>The loaded image of a type (KEXEC_TYPE_DEFAULT or CRASH), or null.</summary>
    public KexecImage Image(int type) => _images[type];

    /// <summary>Puts <paramref name="image"/> (null: none) in its type's slot and frees the one it replaces (kexec_swap_images).</summary>
    public void Swap(int type, KexecImage image)
    {
        KexecImage old = _images[type];
        _images[type] = image;
        if (old != null) old.Free(Hv.Memory);
    }

    /// <summary>Reserves the crash area: <paramref name="bytes"/> rounded up to pages, contiguous, owned by DOMID_XEN.</summary>
    public bool ReserveCrashArea(ulong bytes)
    {
        if (CrashSize != 0 || bytes == 0) return false;
        ulong pages = (bytes + Page.Mask) >> Page.Shift;
        Mfn first = Hv.Memory.AllocateRun((ushort)DomainIds.Xen, pages);
        if (!first.IsValid) return false;
        CrashStart = first.ToMaddr().Value;
        CrashSize = pages << Page.Shift;
        return true;
    }

    /// <summary>Crash notes exist only with a crash area (kexec_init returns early without one).</summary>
    public bool HasCrashNotes => CrashSize != 0;

    /// <summary>CPU <paramref name="cpu"/>'s notes, made now if need be; Invalid when memory is short.</summary>
    public Mfn CpuNotes(int cpu)
    {
        if (!_cpuNotes[cpu].IsValid)
        {
            Mfn mfn = Hv.Memory.Allocate((ushort)DomainIds.Xen);
            if (mfn.IsValid) CrashNotes.Write(Hv.Memory, mfn, cpu);
            _cpuNotes[cpu] = mfn;
        }
        return _cpuNotes[cpu];
    }
}

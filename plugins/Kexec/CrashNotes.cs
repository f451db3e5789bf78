using XenLite.Hv.Common.Memory;

namespace XenLite.Plugin.Kexec;

/// <summary>
/// The ELF notes a crash kernel reads from each CPU's crash-note buffer (kexec.c's
/// sizeof_cpu_notes/setup_note) and the vmcoreinfo note. The registers are written at crash
/// time; until then each note carries its header and a zeroed descriptor.
/// </summary>
public static unsafe class CrashNotes
{
    const uint NtPrstatus = 1;
    const uint XenElfnoteCrashInfo = 0x1000000;
    const uint XenElfnoteCrashRegs = 0x1000001;
    // x86_64 descriptor sizes: ELF_Prstatus, crash_xen_core_t (cr0, cr2, cr3, cr4), crash_xen_info_t (10 longs).
    const uint PrstatusSize = 336, XenCoreSize = 32, XenInfoSize = 80;

    /// <summary>Bytes of CPU <paramref name="cpu"/>'s notes: CORE + Xen regs, and Xen info on CPU 0.</summary>
    public static ulong SizeOf(int cpu)
    {
        ulong bytes = NoteSize("CORE", PrstatusSize) + NoteSize("Xen", XenCoreSize);
        if (cpu == 0) bytes += NoteSize("Xen", XenInfoSize);
        return bytes;
    }

    public static void Write(MachineMemory memory, Mfn frame, int cpu)
    {
        byte* p = memory.Map(frame);
        p = Note(p, "CORE", NtPrstatus, PrstatusSize);
        p = Note(p, "Xen", XenElfnoteCrashRegs, XenCoreSize);
        if (cpu == 0) Note(p, "Xen", XenElfnoteCrashInfo, XenInfoSize);
    }

    /// <summary>crash_save_vmcoreinfo: the VMCOREINFO_XEN note and the facts a dump tool needs from us.</summary>
    public static void WriteVmcoreinfo(MachineMemory memory, Mfn frame)
    {
        byte* p = memory.Map(frame);
        if (p == null) return;
        const string name = "VMCOREINFO_XEN";
        ulong header = 12 + Align((ulong)name.Length + 1);
        Note(p, name, 0, (uint)(KexecState.VmcoreinfoBytes - header));
        byte* desc = p + header;
        const string text = "PAGESIZE=4096\n";
        for (int i = 0; i < text.Length; i++) desc[i] = (byte)text[i];
    }

    static ulong NoteSize(string name, uint desc) => 12 + Align((ulong)name.Length + 1) + Align(desc);

    static ulong Align(ulong n) => (n + 3) & ~3UL;

    /// <summary>Writes an Elf_Note header and name; returns the address after its (zeroed) descriptor.</summary>
    static byte* Note(byte* p, string name, uint type, uint descsz)
    {
        uint* h = (uint*)p;
        h[0] = (uint)name.Length + 1;
        h[1] = descsz;
        h[2] = type;
        byte* n = p + 12;
        for (int i = 0; i < name.Length; i++) n[i] = (byte)name[i];
        n[name.Length] = 0;
        return n + Align((ulong)name.Length + 1) + Align(descsz);
    }
}

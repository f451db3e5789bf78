// A dom0 that reads the hypervisor's version through hypfs, then replaces the
// hypervisor with the ELF32 image it was given as its first module (Xen's
// hvm_start_info modlist): kexec_load (KEXEC_TYPE_DEFAULT) one segment per
// PT_LOAD, kexec_status, kexec_get_range(MA_XEN), then kexec_exec. One
// PASS/FAIL line per check; a kexec_exec that returns is a failure.
namespace XenLite.Guest
{
    /// <summary>The program Dom0Entry starts.</summary>
    public static unsafe class Dom0Program
    {
        public static void Run(uint startInfo, byte* cmdline) => KexecDom0.Run(startInfo);
    }

    public static unsafe class KexecDom0
    {
        const ulong HypfsOp = 42, KexecOp = 37;
        const ulong HypfsRead = 1;
        const ulong KexecExec = 0, KexecGetRange = 3, KexecLoad = 4, KexecStatus = 6;
        const int RangeMaXen = 1;
        const ushort EmI386 = 3;

        public static void Run(uint startInfo)
        {
            Out.Line("XenLite kexec dom0");
            Suite.Report("hypfs.read_buildinfo_version", HypfsVersion());
            Suite.Report("kexec.range_ma_xen", RangeXen());
            Suite.Report("kexec.status_before_load", Expect.Equal(Status(), 0, "KEXEC_CMD_kexec_status before any load"));
            string loaded = Load(startInfo);
            Suite.Report("kexec.load_module_image", loaded);
            Suite.Report("kexec.status_after_load", Expect.Equal(Status(), 1, "KEXEC_CMD_kexec_status after the load"));
            Out.Add("passed ");
            Out.AddDec(Suite.Passed);
            Out.Add(", failed ");
            Out.AddDec(Suite.Failed);
            Out.End();
            if ((object)loaded != null) Guest.Finish(false);
            Out.Line("kexec: exec");
            int* exec = (int*)Scratch.A(4);
            *exec = 0;   // KEXEC_TYPE_DEFAULT
            long rc = Xen.Call(KexecOp, KexecExec, (ulong)exec);
            Suite.Report("kexec.exec", Expect.Equal(rc, 0, "KEXEC_CMD_kexec returned"));
            Guest.Finish(false);
        }

        // /buildinfo/version/major must say what XENVER_version says.
        static string HypfsVersion()
        {
            byte* path = Scratch.A(32);
            System.ReadOnlySpan<byte> name = "/buildinfo/version/major"u8;
            for (int i = 0; i < name.Length; i++) path[i] = name[i];
            path[name.Length] = 0;
            byte* buf = Scratch.B(64);
            long rc = Xen.Call(HypfsOp, HypfsRead, (ulong)path, 25, (ulong)buf, 64);
            if (rc != 0) return Expect.Equal(rc, 0, "XEN_HYPFS_OP_read(/buildinfo/version/major)");
            uint major = *(uint*)(buf + 12);
            Out.Add("hypfs: /buildinfo/version/major = ");
            Out.AddDec(major);
            Out.End();
            if (buf[0] != 3 || *(uint*)(buf + 4) != 4) return Expect.Equal(buf[0], 3, "a 4-byte XEN_HYPFS_TYPE_UINT entry");
            return Expect.Equal(major, Xen.Version >> 16, "the major version hypfs and XENVER_version give");
        }

        // The running hypervisor's range: known now that the image has a handoff.
        static string RangeXen()
        {
            byte* r = Scratch.A(24);
            *(int*)r = RangeMaXen;
            *(int*)(r + 4) = 0;
            long rc = Xen.Call(KexecOp, KexecGetRange, (ulong)r);
            if (rc != 0) return Expect.Equal(rc, 0, "KEXEC_CMD_kexec_get_range(KEXEC_RANGE_MA_XEN)");
            ulong size = *(ulong*)(r + 8), start = *(ulong*)(r + 16);
            return Expect.True(start == 0x100000 && size > 0x10000 && size < 0x10000000, "the hypervisor's range starts at 1 MiB (its link address) with a plausible size");
        }

        static long Status()
        {
            byte* s = Scratch.A(1);
            *s = 0;
            return Xen.Call(KexecOp, KexecStatus, (ulong)s);
        }

        static string Load(uint startInfo)
        {
            byte* si = (byte*)(ulong)startInfo;
            if (*(uint*)si != 0x336EC578 || *(uint*)(si + 12) < 1) return "no image to kexec: give it as the second Multiboot module (dom0's first module)";
            byte* mod = (byte*)*(ulong*)(si + 16);
            byte* elf = (byte*)*(ulong*)mod;
            if (*(uint*)elf != 0x464C457F || elf[4] != 1 || *(ushort*)(elf + 18) != EmI386) return "the module is not an ELF32 i386 image";
            uint entry = *(uint*)(elf + 24), phoff = *(uint*)(elf + 28);
            ushort phentsize = *(ushort*)(elf + 42), phnum = *(ushort*)(elf + 44);

            ulong* segs = (ulong*)Scratch.B(16 * 32);
            uint n = 0;
            for (int i = 0; i < phnum && n < 15; i++)
            {
                byte* ph = elf + phoff + i * phentsize;
                if (*(uint*)ph != 1) continue;   // PT_LOAD
                uint offset = *(uint*)(ph + 4), paddr = *(uint*)(ph + 12), filesz = *(uint*)(ph + 16), memsz = *(uint*)(ph + 20);
                if ((paddr & 0xFFF) != 0) return "a PT_LOAD not at a page boundary";
                segs[n * 4] = (ulong)(elf + offset);
                segs[n * 4 + 1] = filesz;
                segs[n * 4 + 2] = paddr;
                segs[n * 4 + 3] = (memsz + 0xFFFUL) & ~0xFFFUL;
                n++;
            }
            byte* load = Scratch.A(24);
            for (int i = 0; i < 24; i++) load[i] = 0;
            load[0] = 0;                          // KEXEC_TYPE_DEFAULT
            *(ushort*)(load + 2) = EmI386;
            *(uint*)(load + 4) = n;
            *(ulong*)(load + 8) = (ulong)segs;
            *(ulong*)(load + 16) = entry;
            long rc = Xen.Call(KexecOp, KexecLoad, (ulong)load);
            Out.Add("kexec: loaded ");
            Out.AddDec(n);
            Out.Add(" segment(s), entry ");
            Out.AddHex(entry);
            Out.End();
            return Expect.Equal(rc, 0, "KEXEC_CMD_kexec_load");
        }
    }
}

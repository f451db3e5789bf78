// The same hypercalls made from 32-bit compatibility mode, where Xen uses the
// hvm32 column of its table and compat layouts (32-bit pointers and longs):
// compat_platform_parameters { uint32 virt_start; }, compat_multicall_entry
// { uint32 op, result, args[6]; } (32 bytes), set_timer_op's 64-bit timeout
// split into (low, high).
namespace XenLite.Guest
{
    public static unsafe class Hvm32Tests
    {
        public static readonly Test[] All =
        {
            new Test("hvm32.xen_version.version", &Version),
            new Test("hvm32.xen_version.pagesize", &Pagesize),
            new Test("hvm32.xen_version.extraversion", &Extraversion),
            new Test("hvm32.xen_version.platform_parameters", &PlatformParameters),
            new Test("hvm32.xen_version.get_features_submap0", &GetFeatures),
            new Test("hvm32.xen_version.unknown_subop_enosys", &UnknownSubOp),
            new Test("hvm32.xen_version.extraversion_beyond_ram_efault", &ExtraversionBeyondRam),
            new Test("hvm32.console_io.write_0_bytes", &ConsoleWriteNothing),
            new Test("hvm32.sched_op.yield", &Yield),
            new Test("hvm32.sched_op.unknown_cmd_enosys", &SchedUnknown),
            new Test("hvm32.multicall.two_xen_version", &Multicall),
            new Test("hvm32.multicall.nested_einval", &MulticallNested),
            new Test("hvm32.vm_assist.enable_4gb_segments_einval", &VmAssistInvalid),
            new Test("hvm32.set_timer_op.cancel", &TimerCancel),
        };

        public static readonly NumberTest[] Numbers =
        {
            new NumberTest("hvm32.enosys.unassigned_11", 11),
            new NumberTest("hvm32.enosys.unassigned_63", 63),
            new NumberTest("hvm32.enosys.pv_only_set_trap_table_0", Hc.SetTrapTable),
            new NumberTest("hvm32.enosys.pv_only_set_segment_base_25", Hc.SetSegmentBase),
        };

        public static long Number32(ulong nr) => XenCpuid.Call32(nr);

        static long V(ulong cmd, ulong arg) => XenCpuid.Call32(Hc.XenVersion, cmd, arg);

        static string Version() => Expect.Equal(V(XenVer.Version, 0), Xen.Call(Hc.XenVersion, XenVer.Version, 0), "differs from hvm64");

        static string Pagesize() => Expect.Equal(V(XenVer.Pagesize, 0), 4096, "page size");

        static string Extraversion()
        {
            byte* b = Scratch.A(16);
            string why = Expect.Equal(V(XenVer.Extraversion, (ulong)b), 0, "rc");
            if (why != null) return why;
            byte* b64 = Scratch.B(16);
            Xen.Call(Hc.XenVersion, XenVer.Extraversion, (ulong)b64);
            return Expect.True(Scratch.Same(b, b64, 16), "differs from hvm64");
        }

        // 4 bytes written, 0 for HVM; the 4 after them untouched.
        static string PlatformParameters()
        {
            uint* p = (uint*)Scratch.A(8);
            string why = Expect.Equal(V(XenVer.PlatformParameters, (ulong)p), 0, "rc");
            if (why != null) return why;
            why = Expect.Equal(p[0], 0, "virt_start for an HVM guest");
            return why ?? Expect.True(p[1] == 0xA5A5A5A5u, "wrote more than the 4-byte compat structure");
        }

        static string GetFeatures()
        {
            uint* fi32 = (uint*)Scratch.A(8);
            fi32[0] = 0;
            string why = Expect.Equal(V(XenVer.GetFeatures, (ulong)fi32), 0, "rc");
            if (why != null) return why;
            uint* fi64 = (uint*)Scratch.B(8);
            fi64[0] = 0;
            Xen.Call(Hc.XenVersion, XenVer.GetFeatures, (ulong)fi64);
            return Expect.Equal(fi32[1], fi64[1], "submap differs from hvm64");
        }

        static string UnknownSubOp() => Expect.Equal(V(15, 0), -Errno.ENOSYS, "rc");

        static string ExtraversionBeyondRam() => Expect.Equal(V(XenVer.Extraversion, BadAddress.BeyondRam), -Errno.EFAULT, "rc");

        static string ConsoleWriteNothing()
        {
            long want = Guest.Privileged || Out.ViaXen ? 0 : -Errno.EPERM;
            return Expect.Equal(XenCpuid.Call32(Hc.ConsoleIo, ConsoleIo.Write, 0, (ulong)Scratch.A(8)), want, "rc");
        }

        static string Yield() => Expect.Equal(XenCpuid.Call32(Hc.SchedOp, SchedOp.Yield, 0), 0, "rc");

        static string SchedUnknown() => Expect.Equal(XenCpuid.Call32(Hc.SchedOp, 99, 0), -Errno.ENOSYS, "rc");

        const int EntrySize = 32;

        static uint* Entry(byte* list, int i, uint op, uint a0 = 0, uint a1 = 0)
        {
            uint* e = (uint*)(list + i * EntrySize);
            e[0] = op;
            e[1] = 0x5A5A5A5A;
            e[2] = a0;
            e[3] = a1;
            for (int k = 4; k < 8; k++) e[k] = 0;
            return e;
        }

        static string Multicall()
        {
            byte* list = Scratch.A(2 * EntrySize);
            uint* v = Entry(list, 0, (uint)Hc.XenVersion, (uint)XenVer.Version);
            uint* p = Entry(list, 1, (uint)Hc.XenVersion, (uint)XenVer.Pagesize);
            string why = Expect.Equal(XenCpuid.Call32(Hc.Multicall, (ulong)list, 2), 0, "rc");
            if (why != null) return why;
            why = Expect.Equal((int)v[1], Xen.Call(Hc.XenVersion, XenVer.Version, 0), "entry 0 (XENVER_version)");
            return why ?? Expect.Equal((int)p[1], 4096, "entry 1 (XENVER_pagesize)");
        }

        static string MulticallNested()
        {
            byte* inner = Scratch.B(EntrySize);
            Entry(inner, 0, (uint)Hc.XenVersion, (uint)XenVer.Pagesize);
            byte* list = Scratch.A(EntrySize);
            uint* e = Entry(list, 0, (uint)Hc.Multicall, (uint)(ulong)inner, 1);
            string why = Expect.Equal(XenCpuid.Call32(Hc.Multicall, (ulong)list, 1), 0, "rc");
            return why ?? Expect.Equal((int)e[1], -Errno.EINVAL, "nested entry");
        }

        static string VmAssistInvalid() => Expect.Equal(XenCpuid.Call32(Hc.VmAssist, VmAssist.Enable, VmAssist.FourGbSegments), -Errno.EINVAL, "rc");

        static string TimerCancel() => Expect.Equal(XenCpuid.Call32(Hc.SetTimerOp, 0, 0), 0, "rc");
    }
}

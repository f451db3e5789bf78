// xen_version (17), every XENVER_* sub-op, from 64-bit mode. Expected values:
// xen/common/kernel.c do_xen_version and the dummy XSM policy (xen/include/xsm/dummy.h):
// commandline, commandline2 and build_id are for privileged domains only.
// Version-dependent: virt_start is 0 for HVM and arm guests since Xen 4.18; the
// xen_varbuf sub-ops (extraversion2, capabilities2, changeset2, commandline2)
// exist since 4.20 (before, they are unknown sub-ops: -ENOSYS).
namespace XenLite.Guest
{
    public static unsafe class XenVersionTests
    {
        public static readonly Test[] All =
        {
            new Test("xen_version.version", &Version),
            new Test("xen_version.version_matches_discovery", &VersionMatchesDiscovery),
            new Test("xen_version.extraversion", &Extraversion),
            new Test("xen_version.compile_info", &CompileInfo),
            new Test("xen_version.capabilities", &Capabilities),
            new Test("xen_version.changeset", &Changeset),
            new Test("xen_version.platform_parameters", &PlatformParameters),
            new Test("xen_version.get_features_submap0", &GetFeatures),
            new Test("xen_version.get_features_submap1_einval", &GetFeaturesBadSubmap),
            new Test("xen_version.pagesize", &Pagesize),
            new Test("xen_version.pagesize_nonnull_einval", &PagesizeNonNull),
            new Test("xen_version.guest_handle", &GuestHandle),
            new Test("xen_version.commandline", &Commandline),
            new Test("xen_version.build_id", &BuildId),
            new Test("xen_version.extraversion2", &Extraversion2),
            new Test("xen_version.extraversion2_enobufs", &Extraversion2TooSmall),
            new Test("xen_version.capabilities2", &Capabilities2),
            new Test("xen_version.changeset2", &Changeset2),
            new Test("xen_version.commandline2", &Commandline2),
            new Test("xen_version.unknown_subop_enosys", &UnknownSubOp),
            new Test("xen_version.extraversion_beyond_ram_efault", &ExtraversionBeyondRam),
            new Test("xen_version.compile_info_unmapped_efault", &CompileInfoUnmapped),
            new Test("xen_version.get_features_noncanonical_efault", &GetFeaturesNonCanonical),
            new Test("xen_version.capabilities2_beyond_ram_efault", &Capabilities2BeyondRam),
        };

        static long V(ulong cmd, ulong arg) => Xen.Call(Hc.XenVersion, cmd, arg);

        static string Version() => Expect.Equal(V(XenVer.Version, 0) >> 16, 4, "major version is not 4");

        // x86: CPUID leaf base+1; arm64: the version in the /hypervisor node's "xen,xen-X.Y" compatible.
        static string VersionMatchesDiscovery() => Expect.Equal(V(XenVer.Version, 0), Xen.Version, "differs from what discovery reported");

        // A fixed-size string sub-op: rc 0 and a NUL inside the buffer.
        static string FixedString(ulong cmd, int size)
        {
            byte* b = Scratch.A(size);
            string why = Expect.Equal(V(cmd, (ulong)b), 0, "rc");
            if (why != null) return why;
            return Expect.True(Scratch.NulAt(b, size) >= 0, "string not NUL-terminated");
        }

        static string Extraversion() => FixedString(XenVer.Extraversion, 16);

        // compiler[64], compile_by[16], compile_domain[32], compile_date[32].
        static string CompileInfo()
        {
            byte* b = Scratch.A(144);
            string why = Expect.Equal(V(XenVer.CompileInfo, (ulong)b), 0, "rc");
            if (why != null) return why;
            if (Scratch.NulAt(b, 64) < 0) return "compiler not NUL-terminated";
            if (Scratch.NulAt(b + 64, 16) < 0) return "compile_by not NUL-terminated";
            if (Scratch.NulAt(b + 80, 32) < 0) return "compile_domain not NUL-terminated";
            if (Scratch.NulAt(b + 112, 32) < 0) return "compile_date not NUL-terminated";
            return null;
        }

        // The running guest's ABI is among Xen's capabilities (x86: hvm-3.0-x86_64, arm64: xen-3.0-aarch64).
        static string Capabilities()
        {
            string why = FixedString(XenVer.Capabilities, 1024);
            if (why != null) return why;
            byte* b = Scratch.A(0);
            return Expect.True(Scratch.Contains(b, Scratch.NulAt(b, 1024), Arch.Capability), "the guest's ABI is not in capabilities");
        }

        static string Changeset() => FixedString(XenVer.Changeset, 64);

        // xen_platform_parameters { xen_ulong_t virt_start; }: 0 for HVM and arm guests.
        static string PlatformParameters()
        {
            ulong* p = (ulong*)Scratch.A(16);
            string why = Expect.Equal(V(XenVer.PlatformParameters, (ulong)p), 0, "rc");
            if (why != null) return why;
            if (Guest.XenAtLeast(4, 18))
            {
                why = Expect.Equal((long)p[0], 0, "virt_start for an HVM guest");
                if (why != null) return why;
            }
            return Expect.True(p[1] == 0xA5A5A5A5A5A5A5A5UL, "wrote past the 8-byte structure");
        }

        // Submap 0 has the bits kernel.c gives every guest of this kind (Arch.RequiredFeatures).
        static string GetFeatures()
        {
            uint* fi = (uint*)Scratch.A(8);
            fi[0] = 0;
            string why = Expect.Equal(V(XenVer.GetFeatures, (ulong)fi), 0, "rc");
            if (why != null) return why;
            return Expect.Equal(fi[1] & Arch.RequiredFeatures, Arch.RequiredFeatures, "feature bits missing");
        }

        static string GetFeaturesBadSubmap()
        {
            uint* fi = (uint*)Scratch.A(8);
            fi[0] = 1;   // XENFEAT_NR_SUBMAPS is 1
            return Expect.Equal(V(XenVer.GetFeatures, (ulong)fi), -Errno.EINVAL, "rc");
        }

        static string Pagesize() => Expect.Equal(V(XenVer.Pagesize, 0), 4096, "page size");

        static string PagesizeNonNull() => Expect.Equal(V(XenVer.Pagesize, (ulong)Scratch.A(8)), -Errno.EINVAL, "rc");

        static string GuestHandle()
        {
            byte* b = Scratch.A(24);
            string why = Expect.Equal(V(XenVer.GuestHandle, (ulong)b), 0, "rc");
            if (why != null) return why;
            return Expect.True(b[16] == Scratch.Marker, "wrote past the 16-byte handle");
        }

        // Unprivileged domains get "<denied>"; either way a NUL-terminated string.
        static string Commandline() => FixedString(XenVer.Commandline, 1024);

        // xen_varbuf { uint32_t len; char buf[]; }: rc = bytes written.
        static long Varbuf(ulong cmd, byte* b, uint len)
        {
            *(uint*)b = len;
            return V(cmd, (ulong)b);
        }

        static string BuildId()
        {
            byte* b = Scratch.A(4 + 256);
            long rc = Varbuf(XenVer.BuildId, b, 256);
            if (!Guest.Privileged) return Expect.Equal(rc, -Errno.EPERM, "unprivileged rc");
            if (rc == -Errno.ENODATA) return null;   // a Xen built without a build id
            return Expect.True(rc > 0 && rc <= 256, "build id length");
        }

        // The length request (NULL handle), then the string, which must match
        // what XENVER_extraversion gives (that one truncated to 15 characters).
        // Before Xen 4.20 the varbuf sub-ops are unknown.
        static string Absent(ulong cmd) => Expect.Equal(V(cmd, 0), -Errno.ENOSYS, "varbuf sub-op before Xen 4.20");

        static string Extraversion2()
        {
            if (!Guest.XenAtLeast(4, 20)) return Absent(XenVer.Extraversion2);
            long want = V(XenVer.Extraversion2, 0);
            if (want < 0) return Expect.Equal(want, 0, "length request");
            byte* b = Scratch.A(4 + 256);
            string why = Expect.Equal(Varbuf(XenVer.Extraversion2, b, 256), want, "rc differs from the length request");
            if (why != null) return why;
            byte* old = Scratch.B(16);
            if (V(XenVer.Extraversion, (ulong)old) != 0) return "XENVER_extraversion failed";
            int n = Scratch.NulAt(old, 16);
            if (n != (want < 15 ? want : 15)) return "length differs from XENVER_extraversion";
            return Expect.True(Scratch.Same(b + 4, old, n), "content differs from XENVER_extraversion");
        }

        static string Extraversion2TooSmall()
        {
            if (!Guest.XenAtLeast(4, 20)) return Absent(XenVer.Extraversion2);
            long want = V(XenVer.Extraversion2, 0);
            long rc = Varbuf(XenVer.Extraversion2, Scratch.A(8), 0);
            return Expect.Equal(rc, want > 0 ? -Errno.ENOBUFS : 0, "rc with len 0");
        }

        // The *2 sub-op returns the untruncated string the old sub-op copies.
        static string MatchesOld(ulong cmd2, ulong cmd, int oldSize)
        {
            if (!Guest.XenAtLeast(4, 20)) return Absent(cmd2);
            byte* old = Scratch.B(oldSize);
            if (V(cmd, (ulong)old) != 0) return "old sub-op failed";
            int n = Scratch.NulAt(old, oldSize);
            byte* b = Scratch.A(4 + 2048);
            long rc = Varbuf(cmd2, b, 2048);
            if (n < oldSize - 1)
            {
                string why = Expect.Equal(rc, n, "length differs from the old sub-op");
                if (why != null) return why;
            }
            else if (rc < n) return "shorter than the old sub-op";
            return Expect.True(Scratch.Same(b + 4, old, n), "content differs from the old sub-op");
        }

        static string Capabilities2() => MatchesOld(XenVer.Capabilities2, XenVer.Capabilities, 1024);

        static string Changeset2() => MatchesOld(XenVer.Changeset2, XenVer.Changeset, 64);

        static string Commandline2()
        {
            if (!Guest.Privileged && Guest.XenAtLeast(4, 20)) return Expect.Equal(V(XenVer.Commandline2, 0), -Errno.EPERM, "unprivileged rc");
            return MatchesOld(XenVer.Commandline2, XenVer.Commandline, 1024);
        }

        static string UnknownSubOp()
        {
            string why = Expect.Equal(V(15, 0), -Errno.ENOSYS, "sub-op 15");
            return why ?? Expect.Equal(V(0x7FFF, 0), -Errno.ENOSYS, "sub-op 0x7fff");
        }

        static string ExtraversionBeyondRam() => Expect.Equal(V(XenVer.Extraversion, BadAddress.BeyondRam), -Errno.EFAULT, "rc");

        static string CompileInfoUnmapped() => Expect.Equal(V(XenVer.CompileInfo, BadAddress.Unmapped), -Errno.EFAULT, "rc");

        static string GetFeaturesNonCanonical() => Expect.Equal(V(XenVer.GetFeatures, BadAddress.NonCanonical), -Errno.EFAULT, "rc");

        static string Capabilities2BeyondRam()
            => Expect.Equal(V(XenVer.Capabilities2, BadAddress.BeyondRam), Guest.XenAtLeast(4, 20) ? -Errno.EFAULT : -Errno.ENOSYS, "rc");
    }
}

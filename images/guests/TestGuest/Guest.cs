// The test guest's arch-neutral main: once the arch entry (images/guests/<arch>/)
// has started the runtime and found Xen, run every shared suite, then the
// arch's own, print Xen CI's verdict line and power off with SCHEDOP_shutdown.
namespace XenLite.Guest
{
    public static unsafe class Guest
    {
        // XENFEAT_dom0: the hardware domain may use the privileged sub-ops.
        public static bool Privileged;

        public static void Run()
        {
            Out.ViaXen = true;   // from here lines go through console_io when it works
            Out.Add("Xen ");
            Out.AddDec(Xen.Version >> 16);
            Out.Add(".");
            Out.AddDec(Xen.Version & 0xFFFF);
            Out.Add(" found: ");
            Arch.DescribeDiscovery();
            Out.End();
            Privileged = (Features() & (1u << XenFeat.Dom0)) != 0;
            Out.Line(Privileged ? "running as the hardware domain" : "running as an unprivileged domain");

            Suite.Run(XenVersionTests.All);
            Suite.Run(ConsoleIoTests.All);
            Suite.Run(SchedOpTests.All);
            Suite.Run(MulticallTests.All);
            Suite.Run(MiscTests.All);
            NumberTests.Run(NumberTests.List, &NumberTests.Native);
            Arch.RunOwnSuites();
            Finish(Suite.Failed == 0);
        }

        // Some answers changed between Xen releases; discovery's version is XENVER_version's.
        public static bool XenAtLeast(uint major, uint minor) => Xen.Version >= (major << 16 | minor);

        static uint Features()
        {
            uint* fi = (uint*)Scratch.A(8);
            fi[0] = 0;
            return Xen.Call(Hc.XenVersion, XenVer.GetFeatures, (ulong)fi) == 0 ? fi[1] : 0;
        }

        public static void Finish(bool success)
        {
            if (Xen.Present)
            {
                Out.Add("passed ");
                Out.AddDec(Suite.Passed);
                Out.Add(", failed ");
                Out.AddDec(Suite.Failed);
                Out.End();
            }
            Out.Line(success ? "Test result: SUCCESS" : "Test result: FAILURE");
            if (Xen.Present)
            {
                uint* reason = (uint*)Scratch.A(4);
                *reason = SchedOp.Poweroff;   // the verdict is the line above
                long rc = Xen.Call(Hc.SchedOp, SchedOp.Shutdown, (ulong)reason);
                Out.Add("SCHEDOP_shutdown returned ");
                Out.AddDec(rc);
                Out.End();
            }
            Arch.Exit(success);
        }
    }
}

// The test guest's main: start the runtime, find Xen, install the hypercall
// page, run every suite (hvm64, then hvm32 from compatibility mode), print
// Xen CI's verdict line and power off with SCHEDOP_shutdown. Without Xen it
// says so on port 0xe9 and leaves through QEMU's isa-debug-exit.
using System.Runtime;
using XenLite.Boot;

namespace XenLite.Guest
{
    public static unsafe class Guest
    {
        // XENFEAT_dom0: the hardware domain may use the privileged sub-ops.
        public static bool Privileged;
        public static uint StartInfo;

        [RuntimeExport("guest_main")]
        static void Main(uint startInfo)
        {
            byte* heap = Asm.HeapStart();
            XenLite.Runtime.ModuleStartup.Run(heap, (nuint)(Asm.HeapEnd() - heap));
            Scratch.Init();
            StartInfo = startInfo;

            Out.Line("XenLite test guest (x86_64 PVH)");
            if (*(uint*)(nuint)startInfo != 0x336EC578)
                Out.Line("warning: EBX does not point at hvm_start_info (magic 0x336ec578)");
            if (!Xen.Detect())
            {
                Out.Line("no Xen found");
                Finish(false);
            }
            Xen.InstallHypercallPage();
            Out.ViaXen = true;   // from here lines go through console_io when it works
            Out.Add("Xen ");
            Out.AddDec(Xen.CpuidVersion >> 16);
            Out.Add(".");
            Out.AddDec(Xen.CpuidVersion & 0xFFFF);
            Out.Add(" at CPUID ");
            Out.AddHex(Xen.CpuidBase);
            Out.Add(", hypercall page at ");
            Out.AddHex((ulong)Asm.HypercallPage());
            Out.Add(" via MSR ");
            Out.AddHex(Xen.HypercallMsr);
            Out.End();
            Privileged = (Features() & (1u << XenFeat.Dom0)) != 0;
            Out.Line(Privileged ? "running as the hardware domain" : "running as an unprivileged domain");

            Suite.Run(XenVersionTests.All);
            Suite.Run(ConsoleIoTests.All);
            Suite.Run(SchedOpTests.All);
            Suite.Run(MulticallTests.All);
            Suite.Run(MiscTests.All);
            NumberTests.Run(NumberTests.Hvm64, false);
            Suite.Run(Hvm32Tests.All);
            NumberTests.Run(NumberTests.Hvm32, true);
            Finish(Suite.Failed == 0);
        }

        // Some answers changed between Xen releases; CPUID's version is XENVER_version's.
        public static bool XenAtLeast(uint major, uint minor) => Xen.CpuidVersion >= (major << 16 | minor);

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
            Power.Exit(success ? (ExitCode)0 : ExitCode.TestFailure);
        }
    }
}

// The policy agent: domain 0 of images/flask-demo.json (Flask enforcing, boot policy
// policies/demo-locked.js). It shows the boot policy denying it the hypervisor's command line
// (xen_version XENVER_commandline answers "<denied>" then, as Xen's does), takes a policy from the host over its host line
// (<arch>/HostLine.cs: COM2 on x86_64, a PCI 16550 on arm64; `xenlite policy load`),
// loads it with FLASK_LOAD, and shows the same call allowed; then it takes a second blob, which
// must be refused (-EINVAL) with the decision unchanged. One PASS/FAIL line per check, the
// verdict line, then power-off. "policy-agent: ready for policy N" tells the host when to send.
namespace XenLite.Guest
{
    /// <summary>The program Dom0Entry starts (it takes nothing from its start info or command line).</summary>
    public static unsafe class Dom0Program
    {
        public static void Run(uint startInfo, byte* cmdline) => PolicyAgent.Run();
    }

    public static unsafe class PolicyAgent
    {
        const ulong XsmOp = 27, XenVersion = 17;
        const ulong XenverCommandline = 9;
        const uint FlaskLoad = 1, FlaskGetEnforce = 2, FlaskInterfaceVersion = 1;
        const long EINVAL = 22;
        const ulong BlobGpa = PolicyLayout.BlobGpa, CmdlineGpa = PolicyLayout.CmdlineGpa;

        public static void Run()
        {
            Out.Line("XenLite policy agent");
            string channel = HostLine.Init();
            if ((object)channel != null)
            {
                Out.Add("policy-agent: no host line: ");
                Out.Add(channel);
                Out.End();
                Guest.Finish(false);
            }
            byte* blob = (byte*)BlobGpa;

            Suite.Report("flask.enforcing_at_boot", Expect.Equal(Flask(FlaskGetEnforce, 0, 0), 1, "FLASK_GETENFORCE"));
            long denied = Commandline();
            Suite.Report("flask.boot_policy_denies_commandline", denied < 0 ? Expect.Equal(denied, 0, "xen_version(XENVER_commandline)")
                : Expect.True(IsDenied(), "the command line under the boot policy is not Xen's \"<denied>\""));

            long rc = Receive(1, blob);
            Suite.Report("flask.load_received_policy", rc < 0 ? "no good frame from the host" : Expect.Equal(rc, 0, "FLASK_LOAD of the received policy"));
            long length = Commandline();
            Suite.Report("flask.loaded_policy_allows_commandline", length < 0 ? Expect.Equal(length, 0, "xen_version(XENVER_commandline)")
                : Expect.True(!IsDenied() && length > 0, "the command line is still \"<denied>\" after the load"));
            if (length > 0)
            {
                Out.Add("policy-agent: command line '");
                Out.AddCString((byte*)CmdlineGpa, 1024);
                Out.Add("'");
                Out.End();
            }

            rc = Receive(2, blob);
            Suite.Report("flask.bad_blob_rejected", Expect.Equal(rc, -EINVAL, "FLASK_LOAD of a corrupted blob"));
            long after = Commandline();
            Suite.Report("flask.old_policy_stays_after_bad_blob", IsDenied() ? "the command line is \"<denied>\" again after the refused load"
                : Expect.Equal(after, length, "command line length after the refused load"));
            Guest.Finish(Suite.Failed == 0);
        }

        /// <summary>One frame from the host, loaded: FLASK_LOAD's result (answered on the host line), or -1 when no good frame came.</summary>
        static long Receive(int n, byte* blob)
        {
            Out.Add("policy-agent: ready for policy ");
            Out.AddDec(n);
            Out.End();
            long size = PolicyFrame.Receive(blob, out string why);
            if (size < 0)
            {
                PolicyFrame.Answer("NAK", 0, why);
                Out.Add("policy-agent: ");
                Out.Add(why);
                Out.End();
                return -1;
            }
            long rc = Flask(FlaskLoad, (ulong)blob, (uint)size);
            PolicyFrame.Answer("ACK", rc, null);
            Out.Add("policy-agent: FLASK_LOAD of ");
            Out.AddDec(size);
            Out.Add(" bytes returned ");
            Out.AddDec(rc);
            Out.End();
            return rc;
        }

        /// <summary>xsm_op with a xen_flask_op: cmd, interface_version, then the sub-op's fields (load: buffer handle, size).</summary>
        static long Flask(uint cmd, ulong a, uint b)
        {
            byte* op = Scratch.A(40);
            for (int i = 0; i < 40; i++) op[i] = 0;
            *(uint*)op = cmd;
            *(uint*)(op + 4) = FlaskInterfaceVersion;
            *(ulong*)(op + 8) = a;
            *(uint*)(op + 16) = b;
            return Xen.Call(XsmOp, (ulong)op);
        }

        /// <summary>xen_version(XENVER_commandline): the string's length (at CmdlineGpa), or the error.
        /// Xen answers a denial with success and the string "&lt;denied&gt;", so the text is the decision.</summary>
        static long Commandline()
        {
            byte* buf = (byte*)CmdlineGpa;
            for (int i = 0; i < 1024; i++) buf[i] = 0xAA;
            long rc = Xen.Call(XenVersion, XenverCommandline, (ulong)buf);
            return rc < 0 ? rc : Scratch.NulAt(buf, 1024);
        }

        static bool IsDenied()
        {
            byte* s = (byte*)CmdlineGpa;
            string d = "<denied>";
            for (int i = 0; i < d.Length; i++) if (s[i] != (byte)d[i]) return false;
            return s[d.Length] == 0;
        }
    }
}

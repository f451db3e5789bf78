using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using N = XenLite.Hv.Abi.HypercallNumber;
using V = XenLite.Hv.Dispatch.Variant;

namespace XenLite.Flask;

/// <summary>
/// FLASK (xsm/flask): the loaded policy decides every XSM hook, and xsm_op (27) manages it.
/// xsm_op goes to whichever XSM module is in force, so with flask=disabled the dummy module
/// answers -ENOSYS, as Xen's does; without this plugin no handler exists and the row does too.
/// </summary>
[HypervisorPlugin("flask", Feature.Core)]
public static unsafe class FlaskPlugin
{
    /// <summary>The boot policy embedded in the image (a compiled blob); the image glue points
    /// these at it before <see cref="Init"/>. Null when the image carries none.</summary>
    public static byte* BootPolicy;
    public static ulong BootPolicySize;

    public static void Register(HandlerRegistry r)
    {
        r.Add(N.XsmOp, V.Do, &XsmOp);
        r.Add(N.XsmOp, V.Compat, &XsmOpCompat);
    }

    static long XsmOp(Vcpu v, ref HypercallArgs a) => v.Hv.Xsm.DoXsmOp(v, a[0]);

    static long XsmOpCompat(Vcpu v, ref HypercallArgs a) => v.Hv.Xsm.DoCompatOp(v, a[0]);

    /// <summary>Reads `flask=` and installs Flask as the XSM module with the boot policy (Xen's
    /// flask_init). Runs before any domain is built, so every domain is labelled by it.</summary>
    public static void Init(Hypervisor hv) => Start(hv, FlaskBootParam.FromCommandLine(hv.Build.CommandLine), CopyBootPolicy());

    static byte[] CopyBootPolicy()
    {
        if (BootPolicy == null || BootPolicySize == 0 || BootPolicySize > FlaskOpAbi.MaxPolicySize) return null;
        var blob = new byte[BootPolicySize];
        for (ulong i = 0; i < BootPolicySize; i++) blob[i] = BootPolicy[i];
        return blob;
    }

    /// <summary>
    /// Installs Flask for <paramref name="mode"/>: disabled leaves the dummy module; late ignores
    /// the boot policy (everything is allowed until FLASK_LOAD); enforcing (the default) stops the
    /// machine when the boot policy is missing or bad, permissive carries on without it.
    /// Returns the module installed, or null.
    /// </summary>
    public static FlaskXsm Start(Hypervisor hv, FlaskMode mode, byte[] bootPolicy)
    {
        HvConsole c = hv.Console;
        if (mode == FlaskMode.Disabled)
        {
            c.WriteLine("(XEN) Flask: Disabled at boot.");
            return null;
        }
        if (mode == FlaskMode.Invalid) return Panic(hv, "Flask: Invalid value for flask= boot parameter.");
        FlaskPolicy policy = null;
        int rc = -Errno.ENOENT;
        if (bootPolicy != null && mode != FlaskMode.Late) rc = PolicyReader.Read(bootPolicy, out policy);
        if (rc != 0 && (mode == FlaskMode.Enforcing || mode == FlaskMode.Unset)) return Panic(hv, "Unable to load FLASK policy");
        bool enforcing = mode == FlaskMode.Permissive ? false : mode == FlaskMode.Unset ? policy.EnforcingDefault : true;
        var xsm = new FlaskXsm(policy, enforcing);
        hv.Xsm = xsm;
        if (rc != 0) c.WriteLine("(XEN) Flask:  Access controls disabled until policy is loaded.");
        else c.WriteLine(enforcing ? "(XEN) Flask:  Starting in enforcing mode." : "(XEN) Flask:  Starting in permissive mode.");
        return xsm;
    }

    /// <summary>Xen panics here; the machine stops with status 1.</summary>
    static FlaskXsm Panic(Hypervisor hv, string why)
    {
        HvConsole c = hv.Console;
        c.WriteLine("(XEN) ****************************************");
        c.WriteLine("(XEN) Panic on CPU 0:");
        c.Write("(XEN) ");
        c.WriteLine(why);
        c.WriteLine("(XEN) ****************************************");
        hv.Platform.PowerOff(1);
        return null;
    }
}

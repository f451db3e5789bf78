using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>FLASK_LOAD (security:load_policy): a good blob replaces the policy, a bad one changes nothing.</summary>
[Category("xsm_op")]
[Category("flask")]
public class LoadTests
{
    FlaskOpRig _rig;

    [SetUp] public void SetUp() => _rig = new FlaskOpRig();
    [TearDown] public void TearDown() => _rig.Dispose();

    /// <summary>The default policy where domUs may also read the console.</summary>
    static readonly byte[] Relaxed = CompileRelaxed();

    static byte[] CompileRelaxed()
    {
        string text = System.IO.File.ReadAllText(PolicyFiles.Shipped("default.js")) +
            "\nallow(\"domU_t\", \"xen_t\", \"xen\", \"readconsole\");\n";
        string dir = PolicyFiles.Scratch(("default.js", text));
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(dir, "lib"));
        System.IO.File.Copy(PolicyFiles.Shipped("lib/xen.js"), System.IO.Path.Combine(dir, "lib", "xen.js"));
        var cp = Compiler.Compile(System.IO.Path.Combine(dir, "default.js"));
        Assert.That(cp.Diagnostics, Is.Empty);
        return cp.Blob;
    }

    long Load(Domain d, byte[] blob, uint? size = null, ulong? at = null)
    {
        _rig.M.Poke(d, FlaskOpRig.BlobGpa, blob);
        var op = FlaskOpRig.New(FlaskOpAbi.Load);
        op.LoadBuffer = at ?? FlaskOpRig.G(d, FlaskOpRig.BlobGpa);
        op.LoadSize = size ?? (uint)blob.Length;
        return _rig.Op(d, op);
    }

    [Test]
    public void ALoadedPolicyDecidesFromThenOn()
    {
        Assert.That(_rig.Xsm.ConsoleIo(_rig.DomU, ConsoleIoCmd.Read), Is.EqualTo(-Errno.EACCES), "denied before");
        Assert.That(Load(_rig.Dom0, Relaxed), Is.EqualTo(0));
        Assert.That(_rig.Xsm.ConsoleIo(_rig.DomU, ConsoleIoCmd.Read), Is.EqualTo(0), "allowed after");
        Assert.That(_rig.TypeOf(_rig.DomU), Is.EqualTo("domU_t"), "labels carried over");
        Assert.That(_rig.Xsm.Seqno, Is.EqualTo(2));
        Assert.That(_rig.M.Platform.ConsoleText, Does.Contain("avc: granted { load_policy }"));
    }

    [Test]
    public void BooleansKeepTheirValuesAcrossAReload()
    {
        int b = _rig.Policy.BoolIndex("guest_writeconsole"u8);
        Assert.That(_rig.SetBool(_rig.Dom0, b, false, commit: true), Is.EqualTo(0));
        Assert.That(Load(_rig.Dom0, Relaxed), Is.EqualTo(0));
        Assert.That(_rig.WriteConsole(_rig.DomU), Is.EqualTo(-Errno.EACCES));
    }

    [TestCase(4)]      // the magic
    [TestCase(200)]    // inside the tables: the checksum no longer matches
    [TestCase(-1)]     // the last byte of the string pool
    public void ACorruptedBlobIsEinvalAndTheOldPolicyStays(int offset)
    {
        FlaskPolicy before = _rig.Policy;
        byte[] bad = (byte[])Relaxed.Clone();
        bad[offset >= 0 ? offset : bad.Length + offset] ^= 0x5A;
        Assert.That(Load(_rig.Dom0, bad), Is.EqualTo(-Errno.EINVAL));
        Assert.That(_rig.Policy, Is.SameAs(before));
        Assert.That(_rig.Xsm.ConsoleIo(_rig.DomU, ConsoleIoCmd.Read), Is.EqualTo(-Errno.EACCES), "still the old decisions");
        Assert.That(_rig.Xsm.Seqno, Is.EqualTo(1));
    }

    [Test]
    public void ATruncatedOrEmptyBlobIsEinval()
    {
        Assert.That(Load(_rig.Dom0, Relaxed, (uint)Relaxed.Length - 4), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Load(_rig.Dom0, Relaxed, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(Load(_rig.Dom0, Relaxed, FlaskOpAbi.MaxPolicySize + 1), Is.EqualTo(-Errno.EINVAL), "over Xen's 64 MiB limit");
        Assert.That(_rig.Xsm.ConsoleIo(_rig.DomU, ConsoleIoCmd.Read), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void AnUnreadableBlobIsEfault()
    {
        Assert.That(Load(_rig.Dom0, Relaxed, at: FlaskOpRig.Hole), Is.EqualTo(-Errno.EFAULT));
        Assert.That(Load(_rig.Dom0, Relaxed, size: 0x100000), Is.EqualTo(-Errno.EFAULT), "runs past the end of the domain's RAM");
    }

    [Test]
    public void AnUnprivilegedDomainMayNotLoad()
    {
        Assert.That(Load(_rig.DomU, Relaxed), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Xsm.ConsoleIo(_rig.DomU, ConsoleIoCmd.Read), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void LateModeEnforcesFromTheFirstLoad()
    {
        using var late = new FlaskOpRig("flask=late");
        Assert.That(late.Policy, Is.Null);
        Assert.That(late.Xsm.ConsoleIo(late.DomU, ConsoleIoCmd.Read), Is.EqualTo(0), "no policy: everything allowed");
        late.M.Poke(late.DomU, FlaskOpRig.BlobGpa, FlaskRig.DefaultBlob);
        var op = FlaskOpRig.New(FlaskOpAbi.Load);
        op.LoadBuffer = FlaskOpRig.BlobGpa;
        op.LoadSize = (uint)FlaskRig.DefaultBlob.Length;
        Assert.That(late.Op(late.DomU, op), Is.EqualTo(0), "anyone may load the first policy");
        Assert.That(late.M.Platform.ConsoleText, Does.Contain("(XEN) Flask: Policy loaded, continuing in enforcing mode."));
        Assert.That(late.TypeOf(late.Dom0), Is.EqualTo("dom0_t"), "boot labels were kept by initial SID");
        Assert.That(late.TypeOf(late.DomU), Is.EqualTo("domU_t"));
        Assert.That(late.Xsm.ConsoleIo(late.DomU, ConsoleIoCmd.Read), Is.EqualTo(-Errno.EACCES));
        Assert.That(late.Op(late.DomU, op), Is.EqualTo(-Errno.EACCES), "and now the policy decides who loads");
    }
}

// Offsets computed with clang from Xen's public/xsm/flask_op.h for x86_64 and aarch64 (the same)
// and for i386 (the compat layout).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;

namespace XenLite.Policy.Tests.XsmOp;

[Category("xsm_op")]
[Category("flask")]
[Category("abi")]
public class FlaskOpLayoutTests
{
    static void At<T>(string field, int offset, int size) where T : unmanaged
    {
        Assert.That((int)Marshal.OffsetOf<T>(field), Is.EqualTo(offset), $"offsetof({typeof(T).Name}, {field})");
        Assert.That(Marshal.SizeOf(typeof(T).GetField(field)!.FieldType), Is.EqualTo(size), $"sizeof({typeof(T).Name}.{field})");
    }

    [Test]
    public void Native()
    {
        Assert.That(Unsafe.SizeOf<FlaskOp>(), Is.EqualTo(40));
        At<FlaskOp>("Cmd", 0, 4); At<FlaskOp>("InterfaceVersion", 4, 4); At<FlaskOp>("Raw", 8, 32);
        At<FlaskOp>("LoadBuffer", 8, 8); At<FlaskOp>("LoadSize", 16, 4);
        At<FlaskOp>("SidContextSid", 8, 4); At<FlaskOp>("SidContextSize", 12, 4); At<FlaskOp>("SidContextContext", 16, 8);
        At<FlaskOp>("AccessSeqno", 36, 4);
        At<FlaskOp>("TransitionNewsid", 20, 4);
        At<FlaskOp>("BoolId", 8, 4); At<FlaskOp>("BoolEnforcing", 12, 1); At<FlaskOp>("BoolPending", 13, 1);
        At<FlaskOp>("BoolNewValue", 14, 1); At<FlaskOp>("BoolCommit", 15, 1); At<FlaskOp>("BoolSize", 16, 4); At<FlaskOp>("BoolName", 24, 8);
        At<FlaskOp>("CacheFrees", 32, 4);
        At<FlaskOp>("Ocon", 8, 4); At<FlaskOp>("OconSid", 12, 4); At<FlaskOp>("OconLow", 16, 8); At<FlaskOp>("OconHigh", 24, 8);
        At<FlaskOp>("PeerSid", 12, 4); At<FlaskOp>("RelabelSid", 12, 4);
        At<FlaskOp>("DtSid", 8, 4); At<FlaskOp>("DtLength", 12, 4); At<FlaskOp>("DtPath", 16, 8);
    }

    [Test]
    public void Compat()
    {
        Assert.That(Unsafe.SizeOf<FlaskOpCompat>(), Is.EqualTo(40));
        At<FlaskOpCompat>("Cmd", 0, 4); At<FlaskOpCompat>("InterfaceVersion", 4, 4); At<FlaskOpCompat>("Raw", 8, 32);
        At<FlaskOpCompat>("LoadBuffer", 8, 4); At<FlaskOpCompat>("LoadSize", 12, 4);
        At<FlaskOpCompat>("SidContextSid", 8, 4); At<FlaskOpCompat>("SidContextSize", 12, 4); At<FlaskOpCompat>("SidContextContext", 16, 4);
        At<FlaskOpCompat>("BoolId", 8, 4); At<FlaskOpCompat>("BoolEnforcing", 12, 1); At<FlaskOpCompat>("BoolPending", 13, 1);
        At<FlaskOpCompat>("BoolNewValue", 14, 1); At<FlaskOpCompat>("BoolCommit", 15, 1); At<FlaskOpCompat>("BoolSize", 16, 4); At<FlaskOpCompat>("BoolName", 20, 4);
        At<FlaskOpCompat>("Ocon", 8, 4); At<FlaskOpCompat>("OconSid", 12, 4); At<FlaskOpCompat>("OconLow", 16, 8); At<FlaskOpCompat>("OconHigh", 24, 8);
        At<FlaskOpCompat>("DtSid", 8, 4); At<FlaskOpCompat>("DtLength", 12, 4); At<FlaskOpCompat>("DtPath", 16, 4);
    }
}

/// <summary>xsm_op from 32-bit guests: the compat struct, handles of 4 bytes.</summary>
[Category("xsm_op")]
[Category("flask")]
public class CompatXsmOpTests
{
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Pv32)]
    public void StringSubOpsUseFourByteHandles(GuestMode mode)
    {
        using var rig = new FlaskOpRig(mode: mode);
        var d = rig.Dom0;
        var c = new FlaskOpCompat { Cmd = FlaskOpAbi.ContextToSid, InterfaceVersion = 1 };
        c.SidContextContext = (uint)rig.PutString(d, "system_u:system_r:domU_t");
        c.SidContextSize = 24;
        Assert.That(rig.Op(d, c), Is.EqualTo(0));
        var back = rig.BackCompat(d);
        Assert.That(back.SidContextSid, Is.EqualTo(rig.Sid("domU_t")));
        Assert.That(back.SidContextContext, Is.EqualTo(c.SidContextContext), "the handle is left as it was");

        c = new FlaskOpCompat { Cmd = FlaskOpAbi.SidToContext, InterfaceVersion = 1, SidContextSid = rig.Sid("dom0_t"), SidContextSize = 64 };
        c.SidContextContext = (uint)FlaskOpRig.G(d, FlaskOpRig.BufGpa);
        Assert.That(rig.Op(d, c), Is.EqualTo(0));
        Assert.That(rig.BackCompat(d).SidContextSize, Is.EqualTo(25));
        Assert.That(rig.GetString(d, 25), Is.EqualTo("system_u:system_r:dom0_t\0"));

        c = new FlaskOpCompat { Cmd = FlaskOpAbi.GetBool, InterfaceVersion = 1, BoolId = FlaskOpAbi.BoolByName, BoolSize = 18 };
        c.BoolName = (uint)rig.PutString(d, "guest_writeconsole");
        Assert.That(rig.Op(d, c), Is.EqualTo(0));
        back = rig.BackCompat(d);
        Assert.That((back.BoolId, back.BoolEnforcing, back.BoolSize), Is.EqualTo(((uint)rig.Policy.BoolIndex("guest_writeconsole"u8), (byte)1, 0u)));
        Assert.That(back.BoolName, Is.EqualTo(c.BoolName));
    }

    [Test]
    public void LoadAndDevicetreeLabelFromACompatGuest()
    {
        using var rig = new FlaskOpRig(mode: GuestMode.Hvm32);
        var d = rig.Dom0;
        rig.M.Poke(d, FlaskOpRig.BlobGpa, FlaskRig.DefaultBlob);
        var load = new FlaskOpCompat { Cmd = FlaskOpAbi.Load, InterfaceVersion = 1, LoadBuffer = (uint)FlaskOpRig.BlobGpa, LoadSize = (uint)FlaskRig.DefaultBlob.Length };
        Assert.That(rig.Op(d, load), Is.EqualTo(0));
        Assert.That(rig.Xsm.Seqno, Is.EqualTo(2));
        load.LoadSize -= 4;
        Assert.That(rig.Op(d, load), Is.EqualTo(-Errno.EINVAL));

        var dt = new FlaskOpCompat { Cmd = FlaskOpAbi.DevicetreeLabel, InterfaceVersion = 1, DtSid = rig.Sid("nic_dev_t"), DtLength = 4 };
        dt.DtPath = (uint)rig.PutString(d, "/nic");
        Assert.That(rig.Op(d, dt), Is.EqualTo(0));
        Assert.That(rig.Policy.DevicetreeSid("/nic"u8), Is.EqualTo(rig.Sid("nic_dev_t")));
    }

    [Test]
    public void OtherSubOpsShareTheNativeLayout()
    {
        using var rig = new FlaskOpRig(mode: GuestMode.Hvm32);
        var c = new FlaskOpCompat { Cmd = FlaskOpAbi.Access, InterfaceVersion = 1 };
        var native = FlaskOpRig.New(FlaskOpAbi.Access);
        native.AccessSsid = rig.Sid("dom0_t");
        native.AccessTsid = rig.Sid("domU_t");
        native.AccessTclass = FlaskSchema.ClassDomain + 1;
        c.Raw = native.Raw;
        Assert.That(rig.Op(rig.Dom0, c), Is.EqualTo(0));
        var back = rig.M.PeekStruct<FlaskOp>(rig.Dom0, FlaskOpRig.OpGpa);
        Assert.That(back.AccessAllowed & Perm.Domain.Pause, Is.Not.Zero);
        Assert.That(back.AccessSeqno, Is.EqualTo(1));
        Assert.That(rig.Ocontext(rig.Dom0, FlaskOpAbi.AddOcontext, PolicyFormat.OconIomem, 5, 6, rig.Sid("nic_dev_t")), Is.EqualTo(0), "ocontext with 64-bit bounds");
        Assert.That(rig.Policy.ResourceSid(PolicyFormat.OconIomem, 6), Is.EqualTo(rig.Sid("nic_dev_t")));
    }
}

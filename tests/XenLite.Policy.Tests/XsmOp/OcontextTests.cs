using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>FLASK_ADD_OCONTEXT, FLASK_DEL_OCONTEXT and FLASK_DEVICETREE_LABEL
/// (security:add_ocontext / del_ocontext): labels of machine resources.</summary>
[Category("xsm_op")]
[Category("flask")]
public class OcontextTests
{
    FlaskOpRig _rig;

    [SetUp] public void SetUp() => _rig = new FlaskOpRig();
    [TearDown] public void TearDown() => _rig.Dispose();

    const uint Pirq = PolicyFormat.OconIrq, Ioport = PolicyFormat.OconIoport, Iomem = PolicyFormat.OconIomem, Device = PolicyFormat.OconDevice;

    long Add(uint ocon, ulong low, ulong high, string type) => _rig.Ocontext(_rig.Dom0, FlaskOpAbi.AddOcontext, ocon, low, high, _rig.Sid(type));
    long Del(uint ocon, ulong low, ulong high) => _rig.Ocontext(_rig.Dom0, FlaskOpAbi.DelOcontext, ocon, low, high);

    [Test]
    public void AnAddedRangeLabelsItsResourcesUntilDeleted()
    {
        uint nic = _rig.Sid("nic_dev_t");
        Assert.That(Add(Iomem, 0xFE000, 0xFE0FF, "nic_dev_t"), Is.EqualTo(0));
        Assert.That(_rig.Policy.ResourceSid(Iomem, 0xFE080), Is.EqualTo(nic));
        // domU may use nic_dev_t without an IOMMU: dom0 can now give it those frames.
        Assert.That(_rig.Xsm.IomemPermission(_rig.Dom0, _rig.DomU, 0xFE000, 0xFE0FF, 1), Is.EqualTo(0));
        Assert.That(Del(Iomem, 0xFE000, 0xFE0FF), Is.EqualTo(0));
        Assert.That(_rig.Policy.ResourceSid(Iomem, 0xFE080), Is.EqualTo(_rig.Sid("iomem_t")));
        Assert.That(_rig.Xsm.IomemPermission(_rig.Dom0, _rig.DomU, 0xFE000, 0xFE0FF, 1), Is.EqualTo(-Errno.EACCES));
    }

    [Test]
    public void SingleResourcesAndTheirTruncation()
    {
        Assert.That(Add(Pirq, 0x10020, 0x10020, "nic_dev_t"), Is.EqualTo(0), "a pirq is 16 bits");
        Assert.That(_rig.Policy.ResourceSid(Pirq, 0x20), Is.EqualTo(_rig.Sid("nic_dev_t")));
        Assert.That(Add(Device, 0x0300, 0x0300, "nic_dev_t"), Is.EqualTo(0));
        Assert.That(_rig.Policy.ResourceSid(Device, 0x0300), Is.EqualTo(_rig.Sid("nic_dev_t")));
        Assert.That(Del(Pirq, 0x10020, 0x10020), Is.EqualTo(-Errno.ENOENT), "deletion compares the full value");
        Assert.That(Del(Pirq, 0x20, 0x20), Is.EqualTo(0));
        Assert.That(Del(Device, 0x0300, 0x0300), Is.EqualTo(0));
    }

    [Test]
    public void ClashesAreEexistAndTheSameEntryIsAccepted()
    {
        Assert.That(Add(Ioport, 0x300, 0x31F, "nic_dev_t"), Is.EqualTo(0));
        Assert.That(Add(Ioport, 0x300, 0x31F, "nic_dev_t"), Is.EqualTo(0), "the same again");
        Assert.That(Add(Ioport, 0x300, 0x31F, "device_t"), Is.EqualTo(-Errno.EEXIST), "another label");
        Assert.That(Add(Ioport, 0x310, 0x340, "nic_dev_t"), Is.EqualTo(-Errno.EEXIST), "an overlap");
        Assert.That(Add(Ioport, 0x320, 0x340, "device_t"), Is.EqualTo(0), "adjacent");
        Assert.That(Add(Pirq, 9, 9, "nic_dev_t"), Is.EqualTo(0));
        Assert.That(Add(Pirq, 9, 9, "device_t"), Is.EqualTo(-Errno.EEXIST));
        Assert.That(Del(Ioport, 0x300, 0x31E), Is.EqualTo(-Errno.ENOENT), "a range goes only by its exact bounds");
        Assert.That(Del(Ioport, 0x300, 0x31F), Is.EqualTo(0));
        Assert.That(Del(Ioport, 0x300, 0x31F), Is.EqualTo(-Errno.ENOENT));
    }

    [Test]
    public void MalformedRequestsAreEinval()
    {
        Assert.That(Add(Iomem, 2, 1, "nic_dev_t"), Is.EqualTo(-Errno.EINVAL), "low above high");
        Assert.That(Del(Iomem, 2, 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(_rig.Ocontext(_rig.DomU, FlaskOpAbi.AddOcontext, Iomem, 2, 1), Is.EqualTo(-Errno.EINVAL), "checked before permission");
        Assert.That(Add(Pirq, 1, 2, "nic_dev_t"), Is.EqualTo(-Errno.EINVAL), "a pirq is one number");
        Assert.That(Add(Device, 1, 2, "nic_dev_t"), Is.EqualTo(-Errno.EINVAL));
        foreach (uint kind in new uint[] { 0, PolicyFormat.OconDtree, 6 })
        {
            Assert.That(Add(kind, 1, 1, "nic_dev_t"), Is.EqualTo(-Errno.EINVAL), $"kind {kind}");
            Assert.That(Del(kind, 1, 1), Is.EqualTo(-Errno.EINVAL), $"kind {kind}");
        }
    }

    [Test]
    public void AnUnprivilegedDomainMayNotChangeLabels()
    {
        Assert.That(_rig.Ocontext(_rig.DomU, FlaskOpAbi.AddOcontext, Iomem, 1, 1, _rig.Sid("nic_dev_t")), Is.EqualTo(-Errno.EACCES));
        Assert.That(Add(Iomem, 1, 1, "nic_dev_t"), Is.EqualTo(0));
        Assert.That(_rig.Ocontext(_rig.DomU, FlaskOpAbi.DelOcontext, Iomem, 1, 1), Is.EqualTo(-Errno.EACCES));
        Assert.That(_rig.Policy.ResourceSid(Iomem, 1), Is.EqualTo(_rig.Sid("nic_dev_t")));
    }

    [Test]
    public void WithoutAPolicyThereIsNothingToLabel()
    {
        using var late = new FlaskOpRig("flask=late");
        Assert.That(late.Ocontext(late.DomU, FlaskOpAbi.AddOcontext, Iomem, 1, 1, 5), Is.EqualTo(-Errno.EINVAL));
        Assert.That(late.Ocontext(late.DomU, FlaskOpAbi.DelOcontext, Iomem, 1, 1), Is.EqualTo(-Errno.EINVAL));
    }

    long DtLabel(Hv.Common.Domain d, string path, uint sid, uint? length = null, ulong? at = null)
    {
        var op = FlaskOpRig.New(FlaskOpAbi.DevicetreeLabel);
        op.DtSid = sid;
        op.DtPath = at ?? _rig.PutString(d, path);
        op.DtLength = length ?? (uint)path.Length;
        return _rig.Op(d, op);
    }

    [Test]
    public void DevicetreeLabelsAddOnceAndRemoveWithSidZero()
    {
        const string path = "/soc/ethernet@ff0e0000";
        uint nic = _rig.Sid("nic_dev_t");
        Assert.That(_rig.Policy.DevicetreeSid(System.Text.Encoding.ASCII.GetBytes(path)), Is.EqualTo(_rig.Sid("device_t")));
        Assert.That(DtLabel(_rig.Dom0, path + "\0", nic), Is.EqualTo(0));
        Assert.That(_rig.Policy.DevicetreeSid(System.Text.Encoding.ASCII.GetBytes(path)), Is.EqualTo(nic));
        Assert.That(DtLabel(_rig.Dom0, path, nic), Is.EqualTo(-Errno.EEXIST), "labelled already (even with the same label)");
        Assert.That(DtLabel(_rig.Dom0, path, 0), Is.EqualTo(0));
        Assert.That(_rig.Policy.DevicetreeSid(System.Text.Encoding.ASCII.GetBytes(path)), Is.EqualTo(_rig.Sid("device_t")));
        Assert.That(DtLabel(_rig.Dom0, path, 0), Is.EqualTo(-Errno.ENOENT));
    }

    [Test]
    public void DevicetreeLabelErrors()
    {
        uint nic = _rig.Sid("nic_dev_t");
        Assert.That(DtLabel(_rig.DomU, "/a", nic), Is.EqualTo(-Errno.EACCES), "add_ocontext");
        Assert.That(DtLabel(_rig.DomU, "/a", 0), Is.EqualTo(-Errno.EACCES), "del_ocontext");
        Assert.That(DtLabel(_rig.Dom0, "/a", nic, FlaskOpAbi.MaxString + 1), Is.EqualTo(-Errno.ENOBUFS));
        Assert.That(DtLabel(_rig.Dom0, "/a", nic, 2, FlaskOpRig.Hole), Is.EqualTo(-Errno.EFAULT));
    }
}

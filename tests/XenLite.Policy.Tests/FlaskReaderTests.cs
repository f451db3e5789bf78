using System;
using NUnit.Framework;
using XenLite.Flask;
using XenLite.Hv.Abi;

namespace XenLite.Policy.Tests;

[Category("flask")]
public class FlaskReaderTests
{
    static byte[] Good() => (byte[])FlaskRig.DefaultBlob.Clone();

    static void Reseal(byte[] blob) =>
        BitConverter.TryWriteBytes(blob.AsSpan(PolicyFormat.HChecksum * 4), Crc32.Compute(blob, PolicyFormat.HChecksum * 4));

    static void SetWord(byte[] blob, int word, uint value, bool reseal = true)
    {
        BitConverter.TryWriteBytes(blob.AsSpan(word * 4), value);
        if (reseal) Reseal(blob);
    }

    [Test]
    public void TheShippedBlobLoads() => Assert.That(PolicyReader.Read(Good(), out var p), Is.EqualTo(0));

    [Test]
    public void AFlippedBitFailsTheChecksum()
    {
        for (int at = 0; at < FlaskRig.DefaultBlob.Length; at += 97)
        {
            byte[] blob = Good();
            blob[at] ^= 0x10;
            Assert.That(PolicyReader.Read(blob, out var p), Is.EqualTo(-Errno.EINVAL), $"byte {at}");
            Assert.That(p, Is.Null);
        }
    }

    [Test]
    public void WrongVersionMagicOrSchemaIsRejectedEvenWithAGoodChecksum()
    {
        foreach (var (word, value) in new[] { (PolicyFormat.HVersion, 2u), (PolicyFormat.HMagic, 0x12345678u), (PolicyFormat.HClasses, 12u), (PolicyFormat.HPermissions, 176u) })
        {
            byte[] blob = Good();
            SetWord(blob, word, value);
            Assert.That(PolicyReader.Read(blob, out _), Is.EqualTo(-Errno.EINVAL), $"word {word}");
        }
    }

    [Test]
    public void TruncatedOrMisSizedBlobsAreRejected()
    {
        Assert.That(PolicyReader.Read(null, out _), Is.EqualTo(-Errno.EINVAL));
        Assert.That(PolicyReader.Read(new byte[8], out _), Is.EqualTo(-Errno.EINVAL));
        Assert.That(PolicyReader.Read(Good()[..^4], out _), Is.EqualTo(-Errno.EINVAL));
        byte[] blob = Good();
        SetWord(blob, PolicyFormat.HTypes, 0xFFFF_FFFF);
        Assert.That(PolicyReader.Read(blob, out _), Is.EqualTo(-Errno.EINVAL));
        blob = Good();
        SetWord(blob, PolicyFormat.HRows, 0x4000_0000);
        Assert.That(PolicyReader.Read(blob, out _), Is.EqualTo(-Errno.EINVAL));
    }

    [Test]
    public void OutOfRangeIndexesAreRejectedEvenWithAGoodChecksum()
    {
        byte[] good = Good();
        uint types = BitConverter.ToUInt32(good, PolicyFormat.HTypes * 4);
        int pairRowsAt = PolicyFormat.HeaderWords + 2 * (int)types + PolicyFormat.InitialSidCount + PolicyFormat.BoolWords * BitConverter.ToInt32(good, PolicyFormat.HBools * 4);
        byte[] blob = Good();
        SetWord(blob, pairRowsAt, 0xFFFF);
        Assert.That(PolicyReader.Read(blob, out _), Is.EqualTo(-Errno.EINVAL), "pair row index");
        blob = Good();
        SetWord(blob, PolicyFormat.HeaderWords, 0xFFFF_FF00);
        Assert.That(PolicyReader.Read(blob, out _), Is.EqualTo(-Errno.EINVAL), "type name offset");
        blob = Good();
        SetWord(blob, PolicyFormat.HeaderWords + 2 * (int)types + (int)PolicyFormat.SidUnlabeled - 1, PolicyFormat.NoType);
        Assert.That(PolicyReader.Read(blob, out _), Is.EqualTo(-Errno.EINVAL), "unlabeled SID unset");
    }

    [Test]
    public void AvcLineHasXensShape()
    {
        Assert.That(PolicyReader.Read(Good(), out var p), Is.EqualTo(0));
        var buf = new byte[AvcLog.LineMax];
        uint domU = p.TypeSid("domU_t"u8), xen = p.TypeSid("xen_t"u8);
        int n = AvcLog.Format(buf, p, true, Perm.Xen.Readconsole | Perm.Xen.Writeconsole, FlaskSchema.ClassXen, 3, domU, xen);
        Assert.That(System.Text.Encoding.ASCII.GetString(buf, 0, n),
            Is.EqualTo("avc: denied { readconsole writeconsole } for domid=3 scontext=system_u:system_r:domU_t tcontext=system_u:system_r:xen_t tclass=xen\n"));
    }

    [Test]
    public void SchemaCountsMatchXen422()
    {
        Assert.That(FlaskSchema.ClassCount, Is.EqualTo(13));
        Assert.That(FlaskSchema.PermissionCount, Is.EqualTo(177));
        int total = 0;
        for (int c = 0; c < FlaskSchema.ClassCount; c++) total += Schema.PermsOf(c).Count;
        Assert.That(total, Is.EqualTo(177));
        Assert.That(Schema.Classes, Is.EqualTo(new[] { "xen", "xen2", "domain", "domain2", "hvm", "mmu", "resource", "shadow", "event", "grant", "security", "version", "argo" }));
        Assert.That(Schema.PermOf(FlaskSchema.ClassDomain, "set_target"), Is.EqualTo(19));
        Assert.That(Perm.Domain2.GetDomainState, Is.EqualTo(1u << 26));
    }
}

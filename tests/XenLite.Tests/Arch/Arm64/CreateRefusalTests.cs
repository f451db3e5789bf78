using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;

namespace XenLite.Tests.Arch.Arm64;

/// <summary>A domain the security module refuses to create is reported as such by the builders, not as a memory shortage.</summary>
[Category("arm64_boot")]
public class CreateRefusalTests
{
    [TestCase(-Errno.EACCES, "the security policy refused its creation (-EACCES)")]
    [TestCase(-Errno.EPERM, "the security module refused its creation")]
    [TestCase(0, "out of memory or domain ids")]
    public void TheReasonFollowsWhatTheSecurityModuleAnswered(int answer, string why)
    {
        using var bed = new Arm64Bed();
        bed.Hv.LastCreateRefusal = answer;
        Assert.That(bed.Hv.CreateRefusalReason, Is.EqualTo(why));
    }

    [Test]
    public void OutOfDomainIdsIsNotBlamedOnTheSecurityModule()
    {
        using var bed = new Arm64Bed();
        Assert.That(Arm64Builder.Build(bed.Host, bed.Spec("first", Arm64Bed.Image()), 1, false, 0), Is.Not.Null);
        Assert.That(Arm64Builder.Build(bed.Host, bed.Spec("second", Arm64Bed.Image()), 1, false, 0), Is.Null, "id 1 is taken");
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("(XEN) d1: refusing 'second': out of memory or domain ids"));
    }
}

using System.IO;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Freestanding;

/// <summary>
/// hv/ must compile with no BCL, against boot/runtime alone (csc -nostdlib), so it never
/// grows a dependency the image cannot have.
/// </summary>
[Category("freestanding")]
public class FreestandingCompileTests
{
    [Test]
    public void HvCompilesAgainstTheFreestandingRuntimeOnly()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "xenlite-check-hv-" + System.Environment.ProcessId);
        var (code, output) = Repo.Run("bash", $"boot/build-image.sh check-hv {outDir} hv");
        Assert.That(code, Is.EqualTo(0), "csc -nostdlib of hv/ against boot/runtime failed:\n" + output);
    }
}

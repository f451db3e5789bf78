using System.IO;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Build;

/// <summary>The two entry points people type: build.sh and its PowerShell twin.</summary>
[Category("build")]
public class BuildScriptTests
{
    [Test]
    public void AnUnknownVerbIsRefusedWithTheListOfVerbs()
    {
        var (code, output) = Repo.Run("bash", "build.sh frobnicate");
        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain("unknown verb 'frobnicate'").And.Contain("test"), output);
    }

    [Test]
    public void AnUnknownTestOptionIsRefused()
    {
        var (code, output) = Repo.Run("bash", "build.sh test --bogus");
        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain("unknown option --bogus"), output);
    }

    [Test]
    public void BuildPs1OffersTheSameVerbsUnderPowerShell()
    {
        string pwsh = PowerShell();
        var (ok, okOut) = Repo.Run(pwsh, "-NoProfile -File build.ps1 deps");
        Assert.That(ok, Is.Zero, okOut);
        var (bad, badOut) = Repo.Run(pwsh, "-NoProfile -File build.ps1 frobnicate");
        Assert.That(bad, Is.Not.Zero);
        Assert.That(badOut, Does.Contain("unknown verb 'frobnicate'"), badOut);
    }

    /// <summary>pwsh from PATH, else the PowerShell .NET tool installed once under images/out/tools.</summary>
    static string PowerShell()
    {
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, "pwsh"))) return Path.Combine(dir, "pwsh");
        string toolDir = Repo.PathOf("images/out/tools");
        string pwsh = Path.Combine(toolDir, "pwsh");
        if (!File.Exists(pwsh))
        {
            var (code, output) = Repo.Run("dotnet", $"tool install --tool-path {toolDir} PowerShell --version 7.6.9");
            Assert.That(code, Is.Zero, "installing PowerShell as a .NET tool failed:\n" + output);
        }
        return pwsh;
    }
}

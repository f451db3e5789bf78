using System;
using System.IO;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Images;

/// <summary>
/// The GRUB rescue ISO (images/iso.sh, menu images/grub/grub.cfg): the bare hypervisor as a
/// Multiboot1 kernel, the test guest as module 0. Each fixture builds its own copy from the
/// current images so a stale ISO is never booted.
/// </summary>
public static class GrubIso
{
    /// <summary>Builds the ISO into a fresh temporary directory; returns its path.</summary>
    public static string Build() => Build(QemuBoot.TestGuest);

    /// <summary>The same ISO with another dom0 (a repository-relative ELF path; its menu name stays testguest.elf).</summary>
    public static string Build(string dom0)
    {
        foreach (var f in new[] { QemuBoot.Hypervisor, dom0 })
            if (!File.Exists(Repo.PathOf(f))) Assert.Fail($"{f} is missing: build it with ./build.sh image (./build.sh test does)");
        string dir = Directory.CreateTempSubdirectory("xenlite-iso-").FullName;
        string iso = Path.Combine(dir, "xenlite-x86_64.iso");
        var (code, output) = Repo.Run(Repo.PathOf("images/iso.sh"), $"{iso} {QemuBoot.Hypervisor} {dom0}", 60_000);
        if (code == 2 && output.Contains("grub-mkrescue is missing")) Assert.Ignore("grub-mkrescue is not installed (./build.sh deps)");
        Assert.That(code, Is.Zero, "images/iso.sh failed:\n" + output);
        return iso;
    }

    public static void Delete(string? iso)
    {
        if (iso != null) Directory.Delete(Path.GetDirectoryName(iso)!, recursive: true);
    }
}

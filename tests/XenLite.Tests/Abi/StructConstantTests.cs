using System;
using NUnit.Framework;
using XenLite.Hv.Abi;

namespace XenLite.Tests.Abi;

/// <summary>Constants kept on the ABI structs, and the vcpu_info slot arithmetic of shared_info.</summary>
[Category("abi")]
public unsafe class StructConstantTests
{
    // XEN_LEGACY_MAX_VCPUS: arch-x86/xen.h says 32, arch-arm.h says 1.
    // evtchn_pending has sizeof(xen_ulong_t) * 8 words (xen.h): 64 on x86_64/arm64, 32 on x86_32.
    [Test]
    public void SharedInfoArraysFollowTheArchHeaders()
    {
        Assert.That(SharedInfoX86_64.LegacyMaxVcpus, Is.EqualTo(32));
        Assert.That(SharedInfoX86_32.LegacyMaxVcpus, Is.EqualTo(32));
        Assert.That(SharedInfoArm64.LegacyMaxVcpus, Is.EqualTo(1));
        Assert.That(SharedInfoX86_64.EvtchnWords, Is.EqualTo(64));
        Assert.That(SharedInfoX86_32.EvtchnWords, Is.EqualTo(32));
        Assert.That(SharedInfoArm64.EvtchnWords, Is.EqualTo(64));
    }

    // shared_info.vcpu_info[i] sits at i * sizeof(vcpu_info) = i * 64 on x86 (xen.h).
    [Test]
    public void SlotReachesTheIthVcpuInfo()
    {
        var page = new byte[sizeof(SharedInfoX86_64)];
        fixed (byte* p = page)
        {
            Assert.That((byte*)SharedInfoX86_64.Slot((SharedInfoX86_64*)p, 0) - p, Is.EqualTo(0));
            Assert.That((byte*)SharedInfoX86_64.Slot((SharedInfoX86_64*)p, 31) - p, Is.EqualTo(31 * 64));
            Assert.That((byte*)SharedInfoX86_32.Slot((SharedInfoX86_32*)p, 5) - p, Is.EqualTo(5 * 64));
            SharedInfoX86_64.Slot((SharedInfoX86_64*)p, 2)->Time.Version = 0x11223344;
            Assert.That(BitConverter.ToUInt32(page, 2 * 64 + 32), Is.EqualTo(0x11223344u));
        }
    }

    // start_info: char magic[32], MAX_GUEST_CMDLINE 1024 (xen.h).
    [Test]
    public void StartInfoBufferLengths()
    {
        Assert.That(StartInfoX86_64.MagicLen, Is.EqualTo(32));
        Assert.That(StartInfoX86_32.MagicLen, Is.EqualTo(32));
        Assert.That(StartInfoX86_64.MaxGuestCmdline, Is.EqualTo(1024));
        Assert.That(StartInfoX86_32.MaxGuestCmdline, Is.EqualTo(1024));
    }

    // XEN_HVM_START_MAGIC_VALUE, and "current version is 1" (arch-x86/hvm/start_info.h).
    [Test]
    public void HvmStartInfoMagicAndVersions()
    {
        Assert.That(HvmStartInfo.MagicValue, Is.EqualTo(0x336ec578u));
        Assert.That(HvmStartInfo.Version0, Is.EqualTo(0u));
        Assert.That(HvmStartInfo.Version1, Is.EqualTo(1u));
        Assert.That(HvmStartInfo.CurrentVersion, Is.EqualTo(1u));
    }
}

using System.Runtime.InteropServices;
using NUnit.Framework;
using XenLite.Plugin.Hypfs;

namespace XenLite.Plugins.Tests.Hypfs;

/// <summary>hypfs.h: xen_hypfs_direntry is u8 type, u8 encoding, u16 pad, u32 content_len, u32 max_write_len (12 bytes);
/// xen_hypfs_dirlistentry puts u16 off_next right after it and the name at 14.</summary>
[Category("hypfs_op"), Category("abi")]
public unsafe class HypfsAbiLayoutTests
{
    [Test]
    public void DirentryIsTwelveBytesWithXensOffsets()
    {
        Assert.That(sizeof(HypfsDirentry), Is.EqualTo(12));
        Assert.That(Marshal.OffsetOf<HypfsDirentry>(nameof(HypfsDirentry.Type)).ToInt32(), Is.EqualTo(0));
        Assert.That(Marshal.OffsetOf<HypfsDirentry>(nameof(HypfsDirentry.Encoding)).ToInt32(), Is.EqualTo(1));
        Assert.That(Marshal.OffsetOf<HypfsDirentry>(nameof(HypfsDirentry.Pad)).ToInt32(), Is.EqualTo(2));
        Assert.That(Marshal.OffsetOf<HypfsDirentry>(nameof(HypfsDirentry.ContentLen)).ToInt32(), Is.EqualTo(4));
        Assert.That(Marshal.OffsetOf<HypfsDirentry>(nameof(HypfsDirentry.MaxWriteLen)).ToInt32(), Is.EqualTo(8));
    }

    [Test]
    public void DirlistNameFollowsOffNext()
    {
        Assert.That(HypfsAbi.DirlistNameOffset, Is.EqualTo(14u));
        Assert.That(HypfsAbi.DirlistEntrySize(3), Is.EqualTo(14u + 4u), "name + NUL rounded up to 4");
    }
}

using System;
using System.Collections.Generic;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;
using static XenLite.Tests.Loader.ElfWriter;

namespace XenLite.Tests.Loader;

/// <summary>
/// Seeded mutation fuzzing of the PVH builder: random edits of valid ELF images must never throw,
/// never read past the image (it ends at a guard page), never write outside the domain, and
/// either refuse (domain RAM untouched) or load (start info in place).
/// </summary>
[Category("loader")]
public unsafe class LoaderFuzzTests
{
    const int Seed = 0x5EED_E1F;
    const int Cases = 4000;

    static readonly ulong[] Interesting =
    {
        0, 1, 2, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, ulong.MaxValue, ulong.MaxValue - 0xFFF,
        0x1000, PhysBase, DataBase, PhysEntry, 0x40, 0x38, 56, 32, 64, 0x1_0000_0000,
    };

    static byte[][] BaseImages()
    {
        var sect = Pvh(2);
        sect.NotesInSection = true;
        var rich = Pvh(1, 62);
        rich.Notes.Add(XenString(6, "linux"));
        rich.Notes.Add(XenString(10, "!writable_page_tables|dom0"));
        rich.Notes.Add(XenU32(17, 1u << 11));
        rich.Notes.Add(new Note("Xen", 19, new byte[12]));
        return new[] { Pvh(2).Build(), Pvh(1, 3).Build(), rich.Build(), sect.Build() };
    }

    [Test]
    public void MutatedImagesAreRefusedOrLoadedAndNeverEscapeTheDomain()
    {
        using var m = new TestMachine(ramPages: 640);
        var d = m.NewDomain(GuestMode.Hvm32, pages: LoaderRig.DomainPages);
        var other = m.NewDomain(GuestMode.Hvm32, id: 1, pages: 64, privileged: false);
        LoaderRig.Fill(m, other, 0x5A);
        var outside = OutsideFrames(m, d);
        foreach (var f in outside) new Span<byte>(m.Hv.Memory.Map(f), (int)Page.Size).Fill(0x3C);
        var outsideBefore = Copy(m, outside);
        var domainFrames = Frames(d);

        var images = BaseImages();
        var rng = new Random(Seed);
        using var buffer = new GuardedImage(64 * 1024);
        var cmd = "console=hvc0"u8.ToArray();
        int loaded = 0;
        var reasons = new HashSet<LoadError>();

        for (int i = 0; i < Cases; i++)
        {
            var image = Mutate(images[rng.Next(images.Length)], rng);
            buffer.Set(image);
            LoadRefusal r;
            PvhBoot boot;
            try
            {
                fixed (byte* c = cmd)
                    r = PvhBuilder.Build(d, image.Length == 0 ? null : buffer.Pointer, (ulong)image.Length, c, (ulong)cmd.Length, null, out boot);
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} (seed {Seed:x}) threw {e}\nimage: {Convert.ToHexString(image)}");
                return;
            }

            if (r.Refused)
            {
                reasons.Add(r.Code);
                Assert.That(AllZero(m, domainFrames), Is.True, $"case {i}: refused ({r.Message}) but domain RAM changed");
            }
            else
            {
                loaded++;
                Assert.That(m.PeekStruct<HvmStartInfo>(d, boot.StartInfoGpa).Magic, Is.EqualTo(HvmStartInfo.MagicValue), $"case {i}");
                foreach (var f in domainFrames) new Span<byte>(m.Hv.Memory.Map(f), (int)Page.Size).Clear();
            }
            if (!SameAs(m, outside, outsideBefore)) Assert.Fail($"case {i}: memory outside the domain changed");
        }

        TestContext.Out.WriteLine($"{Cases} cases: {loaded} loaded, refusal reasons seen: {string.Join(", ", reasons)}");
        Assert.That(loaded, Is.GreaterThan(Cases / 20), "mutations too destructive to exercise the load path");
        Assert.That(reasons.Count, Is.GreaterThanOrEqualTo(12), "mutations reach too few refusal paths");
    }

    static byte[] Mutate(byte[] original, Random rng)
    {
        var f = (byte[])original.Clone();
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits && f.Length > 0; e++)
        {
            // Most edits land in the headers and notes, where the parser's decisions are.
            int span = rng.Next(4) == 0 ? f.Length : Math.Min(f.Length, 320);
            int at = rng.Next(span);
            switch (rng.Next(5))
            {
                case 0:
                    f[at] = (byte)rng.Next(256);
                    break;
                case 1:
                    f[at] ^= (byte)(1 << rng.Next(8));
                    break;
                case 2:
                case 3:
                    int width = new[] { 2, 4, 8 }[rng.Next(3)];
                    ulong v = rng.Next(3) == 0 ? (ulong)rng.NextInt64() : Interesting[rng.Next(Interesting.Length)];
                    for (int b = 0; b < width && at + b < f.Length; b++) f[at + b] = (byte)(v >> (8 * b));
                    break;
                default:
                    if (rng.Next(3) == 0) Array.Resize(ref f, rng.Next(f.Length + 1));
                    break;
            }
        }
        return f;
    }

    static List<Mfn> Frames(Domain d)
    {
        var r = new List<Mfn>();
        for (ulong g = 0; g < d.P2m.Size; g++)
        {
            var mfn = d.P2m.Lookup(new Gfn(g));
            if (mfn.IsValid) r.Add(mfn);
        }
        return r;
    }

    static List<Mfn> OutsideFrames(TestMachine m, Domain d)
    {
        var r = new List<Mfn>();
        var mem = m.Hv.Memory;
        for (ulong i = 0; i < mem.FrameCount; i++)
        {
            var mfn = new Mfn(mem.FirstFrame + i);
            if (mem.OwnerOf(mfn) != d.Id) r.Add(mfn);
        }
        return r;
    }

    static byte[] Copy(TestMachine m, List<Mfn> frames)
    {
        var r = new byte[frames.Count * (int)Page.Size];
        for (int i = 0; i < frames.Count; i++)
            new Span<byte>(m.Hv.Memory.Map(frames[i]), (int)Page.Size).CopyTo(r.AsSpan(i * (int)Page.Size));
        return r;
    }

    static bool SameAs(TestMachine m, List<Mfn> frames, byte[] before)
    {
        for (int i = 0; i < frames.Count; i++)
            if (!new Span<byte>(m.Hv.Memory.Map(frames[i]), (int)Page.Size).SequenceEqual(before.AsSpan(i * (int)Page.Size, (int)Page.Size)))
                return false;
        return true;
    }

    static bool AllZero(TestMachine m, List<Mfn> frames)
    {
        foreach (var f in frames)
            if (new Span<byte>(m.Hv.Memory.Map(f), (int)Page.Size).ContainsAnyExcept((byte)0)) return false;
        return true;
    }
}

using System;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Routing;

/// <summary>The random hypercall arguments of the fuzz and no-allocation tests (one mix, one seed per test).</summary>
public static class HostileArgs
{
    /// <summary>The top pages of a test guest hold a PV guest's page tables: addresses are drawn below them.</summary>
    public const ulong UnmappedTopPages = 8;

    /// <summary>Argument values a hostile or buggy guest might pass; small numbers often, so sub-ops get reached.</summary>
    public static ulong Next(Random rng, Domain d, int index)
    {
        ulong ram = (d.TotPages - UnmappedTopPages) * Page.Size;
        int pick = rng.Next(index == 0 ? 14 : 12);
        return pick switch
        {
            0 => 0,
            1 => ulong.MaxValue,
            2 => (ulong)rng.Next(0, 64),
            3 => TestMachine.GuestAddr(d, (ulong)rng.NextInt64(0, (long)ram)),
            4 => TestMachine.GuestAddr(d, (ulong)rng.Next(0, (int)(ram / Page.Size)) * Page.Size),
            5 => TestMachine.GuestAddr(d, ram - (ulong)rng.Next(1, 128)),
            6 => TestMachine.GuestAddr(d, ram + (ulong)rng.NextInt64(0, 1L << 40)),
            7 => (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 33),
            8 => new ulong[] { 0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 1UL << 63, ulong.MaxValue - 7, 0xFFFF_8000_0000_0000 }[rng.Next(6)],
            9 => new ulong[] { DomainIds.Self, 0, 1, 2, DomainIds.Invalid, 0x7FFF }[rng.Next(6)],
            10 => (ulong)rng.Next(1, 1 << 20),
            11 => (ulong)rng.Next(0, 8),
            _ => (ulong)rng.Next(0, 32),
        };
    }
}

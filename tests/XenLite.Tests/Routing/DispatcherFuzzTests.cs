using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Routing;

/// <summary>
/// Hostile-guest robustness: every hypercall number in every mode, from a privileged and an
/// unprivileged domain, with seeded random arguments. Whatever handlers exist today are
/// covered: each call must end in success or an errno, and the hypervisor must stay whole.
/// </summary>
[Category("fuzz")]
public class DispatcherFuzzTests
{
    const int CallsPerNumber = 200;
    const ulong CallerPages = 64;
    const ulong BystanderPages = 16;
    // The harness keeps a PV guest's page tables in its top pages; the guest never sees them.
    const ulong UnmappedTopPages = HostileArgs.UnmappedTopPages;
    const int MaxReported = 20;

    static IEnumerable<GuestMode> Modes => Enum.GetValues<GuestMode>();

    [TestCaseSource(nameof(Modes))]
    public void RandomArgumentsNeverCrashOrCorrupt(GuestMode mode)
    {
        using var m = new TestMachine();
        var rng = new Random(0x5EED + (int)mode);
        var privileged = m.NewDomain(mode, id: 0, pages: CallerPages);
        var unprivileged = m.NewDomain(mode, id: 1, pages: CallerPages);
        var bystander = m.NewDomain(GuestMode.Hvm64, id: 2, pages: BystanderPages, privileged: false);
        FillRandom(m, privileged, rng);
        FillRandom(m, unprivileged, rng);
        FillRandom(m, bystander, rng);
        byte[] bystanderBytes = m.Peek(bystander, 0, (int)(BystanderPages * Page.Size));

        var failures = new List<string>();
        void Fail(string what) { if (failures.Count < MaxReported) failures.Add(what); }

        for (int number = 0; number < HypercallNumber.TableSize; number++)
        {
            foreach (var caller in new[] { privileged, unprivileged })
            {
                var v = caller.Vcpus[0];
                string who = $"{mode} d{caller.Id} hypercall {number}";
                bool handled = false;
                for (int k = 0; k < CallsPerNumber; k++)
                {
                    ulong[] a = Enumerable.Range(0, 6).Select(i => HostileArgs.Next(rng, caller, i)).ToArray();
                    string Call() => $"{who}({string.Join(", ", a.Select(x => $"0x{x:x}"))})";
                    try
                    {
                        long rc = CallToEnd(m, v, number, a);
                        handled |= rc != -Errno.ENOSYS;
                        if (rc < -4095) Fail($"{Call()} returned {rc}: neither success nor an errno");
                        if (v.Call.InMulticall || v.Call.Preempted) Fail($"{Call()} left hypercall state behind");
                    }
                    catch (Exception e)
                    {
                        Fail($"{Call()} threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                    }
                }

                // Arm's "dep" stubs and do_arm physdev_op (only the PCI device sub-ops) answer -ENOSYS
                // by design, as in Xen; every other handler must be reached.
                var variant = m.Hv.Dispatcher.CellFor(number, mode).Variant;
                if (m.Hv.Dispatcher.IsImplemented(number, mode) && variant != Variant.Dep && variant != Variant.DoArm && !handled)
                    Fail($"{who}: no random call got past -ENOSYS, so the handler was never exercised");
                // memory_op may legitimately move frames between a domain and the free pool; what must
                // hold is the ownership invariant (every frame free or owned and accounted).
                foreach (var broken in MemoryOp.OwnershipInvariant.Check(m.Hv))
                    Fail($"{who}: {broken}");
                if (m.Hv.Memory.FreeFrames != CountFreeFrames(m.Hv.Memory))
                    Fail($"{who}: FreeFrames disagrees with the owner map");
                if (m.Hv.Lookup(2) != bystander || bystander.TotPages != BystanderPages)
                    Fail($"{who}: the bystander domain lost its memory or its id");
                else if (!m.Peek(bystander, 0, bystanderBytes.Length).AsSpan().SequenceEqual(bystanderBytes))
                    Fail($"{who}: the bystander domain's memory changed");
                if (m.Call(v, 11) != -Errno.ENOSYS)
                    Fail($"{who}: the dispatcher no longer answers an unused number with -ENOSYS");
            }
        }
        Assert.That(failures, Is.Empty, string.Join("\n\n", failures));
    }

    /// <summary>Issues the call and follows continuations, as a guest re-executing the instruction would.</summary>
    static long CallToEnd(TestMachine m, Vcpu v, int number, ulong[] a)
    {
        long rc = m.Call(v, number, a[0], a[1], a[2], a[3], a[4], a[5]);
        for (int guard = 0; m.LastCallRestarted; guard++)
        {
            if (guard == 100_000) throw new InvalidOperationException("continuation never finished");
            rc = m.Resume(v);
        }
        return rc;
    }

    /// <summary>Random bytes in most pages, zeroes in some: zeroed structs reach deeper than noise.</summary>
    static void FillRandom(TestMachine m, Domain d, Random rng)
    {
        var page = new byte[Page.Size];
        ulong mapped = d.TotPages - (GuestModes.IsPv(d.Mode) ? UnmappedTopPages : 0);
        for (ulong g = 0; g < mapped; g++)
        {
            if (g % 4 == 3) Array.Clear(page);
            else rng.NextBytes(page);
            m.Poke(d, g * Page.Size, page);
        }
    }

    static ulong CountFreeFrames(MachineMemory mem)
    {
        ulong free = 0;
        for (ulong i = 0; i < mem.FrameCount; i++)
            if (mem.OwnerOf(new Mfn(mem.FirstFrame + i)) == MachineMemory.OwnerFree) free++;
        return free;
    }
}

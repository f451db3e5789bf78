using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Routing;

/// <summary>The catalog's statuses are what a privileged HVM64 guest really gets.</summary>
[Category("routing")]
public class SubOpCatalogTests
{
    const ulong BufferGpa = 0x4000;

    public static IEnumerable<TestCaseData> SubOps() =>
        SubOpCatalog.Families.SelectMany(f => f.Ops.Select(op =>
            new TestCaseData(f.Hypercall, op.Number, op.Status).SetName($"{op.Name} is {op.Status}")));

    /// <summary>
    /// Sub-ops Xen itself answers -ENOSYS until the domain is set up for them:
    /// EVTCHNOP_set_priority (13) exists only under the FIFO ABI.
    /// </summary>
    static readonly Dictionary<(int, int), Action<TestMachine, Vcpu>> Preconditions = new()
    {
        [(HypercallNumber.EventChannelOp, 13)] = InitFifoAbi,
        [(HypercallNumber.MemoryOp, XenMem.MemoryMap)] = SetOwnMemoryMap,
    };

    /// <summary>XENMEM_memory_map answers -ENOSYS until a memory map was set (XENMEM_set_memory_map, one entry).</summary>
    static void SetOwnMemoryMap(TestMachine m, Vcpu v)
    {
        const ulong mapGpa = 0x6000, entryGpa = 0x7000;
        m.PokeStruct(v.Domain, entryGpa, new E820Entry { Addr = 0, Size = 0x10000, Type = E820Entry.Ram });
        m.PokeStruct(v.Domain, mapGpa, new XenForeignMemoryMap { DomId = (ushort)DomainIds.Self, Map = new XenMemoryMap { NrEntries = 1, Buffer = entryGpa } });
        Assert.That(m.Call(v, HypercallNumber.MemoryOp, XenMem.SetMemoryMap, mapGpa), Is.EqualTo(0), "XENMEM_set_memory_map");
    }

    /// <summary>EVTCHNOP_init_control (11) with a control block in guest frame 8, for vCPU 0.</summary>
    static void InitFifoAbi(TestMachine m, Vcpu v)
    {
        const ulong initControlGpa = 0x6000, controlBlockGfn = 8;
        m.PokeStruct(v.Domain, initControlGpa, controlBlockGfn); // control_gfn; offset, vcpu and link_bits stay 0
        Assert.That(m.Call(v, HypercallNumber.EventChannelOp, 11, initControlGpa), Is.EqualTo(0), "EVTCHNOP_init_control");
    }

    /// <summary>A well-formed call of the sub-op: a zeroed buffer, zero counts.</summary>
    static long CallSubOp(int hypercall, int subOp)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64);
        var v = d.Vcpus[0];
        if (Preconditions.TryGetValue((hypercall, subOp), out var setUp)) setUp(m, v);
        if (hypercall == HypercallNumber.Domctl)
        {
            // domctl and sysctl take their command inside the struct the argument points at.
            uint version = subOp == (int)DomctlCmd.GetDomainState ? 0 : DomctlCmd.InterfaceVersion;
            m.PokeStruct(d, BufferGpa, new XenDomctl { Cmd = (uint)subOp, InterfaceVersion = version, Domain = d.Id });
            return m.Call(v, hypercall, BufferGpa);
        }
        if (hypercall == HypercallNumber.Sysctl)
        {
            m.PokeStruct(d, BufferGpa, new XenSysctl { Cmd = (uint)subOp, InterfaceVersion = SysctlCmd.InterfaceVersion });
            // cpupool_op's own op 0 is undefined (Xen: -ENOSYS); ask for pool information instead.
            if (subOp == (int)SysctlCmd.CpupoolOp)
                m.PokeStruct(d, BufferGpa + XenSysctl.UnionOffset, new SysctlCpupoolOp { Op = SysctlConst.CpupoolInfo });
            return m.Call(v, hypercall, BufferGpa);
        }
        return hypercall switch
        {
            HypercallNumber.ConsoleIo => m.Call(v, hypercall, (ulong)subOp, 0, BufferGpa),
            HypercallNumber.VmAssist => m.Call(v, hypercall, (ulong)subOp, VmAssistType.RunstateUpdateFlag),
            HypercallNumber.VcpuOp => m.Call(v, hypercall, (ulong)subOp, 0, BufferGpa),
            _ => m.Call(v, hypercall, (ulong)subOp, BufferGpa),
        };
    }

    [TestCaseSource(nameof(SubOps))]
    public void StatusMatchesTheDispatcher(int hypercall, int subOp, SubOpStatus status)
    {
        long rc = CallSubOp(hypercall, subOp);
        if (status == SubOpStatus.Implemented) Assert.That(rc, Is.Not.EqualTo(-Errno.ENOSYS));
        else Assert.That(rc, Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void EveryFamilyIsARoutedRowForHvm64()
    {
        using var m = new TestMachine();
        foreach (var f in SubOpCatalog.Families)
        {
            Assert.That(RoutingTable.IndexOf(f.Hypercall), Is.GreaterThanOrEqualTo(0));
            bool anyImplemented = f.Ops.Length == 0 || f.Ops.Any(o => o.Status == SubOpStatus.Implemented);
            Assert.That(m.Hv.Dispatcher.IsImplemented(f.Hypercall, GuestMode.Hvm64), Is.EqualTo(anyImplemented), $"hypercall {f.Hypercall}");
        }
    }

    [Test]
    public void SubOpsAreListedOnceInNumberOrder()
    {
        foreach (var f in SubOpCatalog.Families)
        {
            var numbers = f.Ops.Select(o => o.Number).ToArray();
            Assert.That(numbers, Is.Ordered.Ascending.And.Unique, $"hypercall {f.Hypercall}");
            Assert.That(f.Ops.Select(o => o.Name), Is.Unique);
        }
        Assert.That(SubOpCatalog.Families.Select(f => f.Hypercall), Is.Unique);
    }

    [Test]
    public void IndexOfFindsEachFamily()
    {
        for (int i = 0; i < SubOpCatalog.Families.Length; i++)
            Assert.That(SubOpCatalog.IndexOf(SubOpCatalog.Families[i].Hypercall), Is.EqualTo(i));
        Assert.That(SubOpCatalog.IndexOf(HypercallNumber.TmemOp), Is.EqualTo(-1));
    }

    /// <summary>The first number past each family's last sub-op is Xen's -ENOSYS (vm_assist checks its type first).</summary>
    [TestCase(HypercallNumber.XenVersion)]
    [TestCase(HypercallNumber.ConsoleIo)]
    [TestCase(HypercallNumber.SchedOp)]
    [TestCase(HypercallNumber.VmAssist)]
    public void TheNumberAfterTheLastSubOpIsEnosys(int hypercall)
    {
        var f = SubOpCatalog.Families[SubOpCatalog.IndexOf(hypercall)];
        Assert.That(CallSubOp(hypercall, f.Ops.Max(o => o.Number) + 1), Is.EqualTo(-Errno.ENOSYS));
    }
}

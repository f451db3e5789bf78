using System.Collections.Generic;
using NUnit.Framework;
using XenLite.Tests.Harness;

namespace XenLite.Tests.MemoryOp;

/// <summary>Base for memory_op and grant_table_op tests: machines made with <see cref="Machine"/> are checked against the ownership invariant after each test, then disposed.</summary>
public abstract class OwnershipCheckedTest
{
    readonly List<TestMachine> _machines = new();

    protected TestMachine Machine(ulong ramPages = TestMachine.DefaultRamPages)
    {
        var m = new TestMachine(ramPages: ramPages);
        _machines.Add(m);
        return m;
    }

    [TearDown]
    public void CheckOwnershipInvariant()
    {
        try
        {
            foreach (var m in _machines)
            {
                var bad = OwnershipInvariant.Check(m.Hv);
                Assert.That(bad, Is.Empty, "ownership invariant:\n" + string.Join("\n", bad));
            }
        }
        finally
        {
            foreach (var m in _machines) m.Dispose();
            _machines.Clear();
        }
    }
}

using System;
using System.Linq;
using System.Reflection;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.Xsm;

/// <summary>
/// The domains XSM decisions are told apart by: the control domain, two plain guests, a device
/// model whose target is <see cref="B"/>, and a xenstore domain.
/// </summary>
public sealed class XsmCast : IDisposable
{
    public readonly TestMachine Machine = new(ramPages: 64);
    public readonly Domain Dom0, A, B, Dm, Xs;

    public XsmCast()
    {
        Dom0 = Machine.NewDomain(GuestMode.Hvm64, id: 0, pages: 2);
        A = Machine.NewDomain(GuestMode.Hvm64, id: 1, pages: 2);
        B = Machine.NewDomain(GuestMode.Hvm64, id: 2, pages: 2);
        Dm = Machine.NewDomain(GuestMode.Hvm64, id: 3, pages: 2);
        Dm.Target = B;
        Xs = Machine.NewDomain(GuestMode.Hvm64, id: 4, pages: 2);
        Xs.IsXenstore = true;
    }

    /// <summary>
    /// A domain with a reserved id (DOMID_IDLE, DOMID_IO…), which CreateDomain never hands out:
    /// built through Domain's internal constructor, whatever its parameters are.
    /// </summary>
    public Domain Special(uint domid)
    {
        var ctor = typeof(Domain).GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance).Single();
        object[] args = ctor.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(Hypervisor) => Machine.Hv,
            var t when t == typeof(ushort) => (ushort)domid,
            var t when t == typeof(GuestMode) => GuestMode.Hvm64,
            var t when t == typeof(int) => 1,
            var t when t == typeof(ulong) => 1UL,
            var t => t.IsValueType ? Activator.CreateInstance(t) : null,
        }).ToArray();
        return (Domain)ctor.Invoke(args);
    }

    public void Dispose() => Machine.Dispose();
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Hv.Dispatch;

/// <summary>
/// The one entry from every gate (SVM, VMX, PV, HVC). The routing table and the registry
/// are resolved once into a flat array, so a call is one bounds check and one index.
/// </summary>
public sealed unsafe class Dispatcher
{
    readonly delegate*<Vcpu, ref HypercallArgs, long>[] _handlers =
        new delegate*<Vcpu, ref HypercallArgs, long>[HypercallNumber.TableSize * GuestModes.Count];
    readonly Cell[] _cells = new Cell[HypercallNumber.TableSize * GuestModes.Count];

    public Dispatcher(HandlerRegistry registry)
    {
        for (int i = 0; i < RoutingTable.Rows.Length; i++)
        {
            ref readonly RouteRow row = ref RoutingTable.Rows[i];
            if (!registry.IsActive(row)) continue;
            for (int m = 0; m < GuestModes.Count; m++)
            {
                Cell cell = row.For((GuestMode)m);
                if (!cell.IsRouted) continue;
                int slot = row.Number * GuestModes.Count + m;
                _cells[slot] = cell;
                _handlers[slot] = registry.Find(row.Number, cell.Variant);
            }
        }
    }

    /// <summary>The cell this build routes (number, mode) to; "-" when it does not.</summary>
    public Cell CellFor(int number, GuestMode mode) =>
        (uint)number < HypercallNumber.TableSize ? _cells[number * GuestModes.Count + (int)mode] : default;

    /// <summary>True when (number, mode) reaches a handler rather than -ENOSYS.</summary>
    public bool IsImplemented(int number, GuestMode mode) =>
        (uint)number < HypercallNumber.TableSize && _handlers[number * GuestModes.Count + (int)mode] != null;

    /// <summary>
    /// A hypercall trapped from <paramref name="v"/>: decode its registers for its mode, route,
    /// store the result. Returns false when the hypercall must be re-executed (continuation):
    /// the gate then leaves the guest's instruction pointer on the hypercall instruction.
    /// </summary>
    public bool Enter(Vcpu v)
    {
        GuestMode mode = v.Mode;
        bool narrow = GuestModes.Is32Bit(mode);
        ulong number = v.Regs[HypercallRegisters.NumberRegister(mode)];
        if (narrow) number = (uint)number;

        HypercallArgs args = default;
        for (int i = 0; i < HypercallArgs.Count; i++)
        {
            ulong r = v.Regs[HypercallRegisters.ArgRegister(mode, i)];
            args.Value[i] = narrow ? (uint)r : r;
        }

        v.Call.Preempted = false;
        long rc = Call(v, number, ref args);

        if (v.Call.Preempted)
        {
            v.Call.Preempted = false;
            v.Regs[HypercallRegisters.NumberRegister(mode)] = (ulong)v.Call.ContinuationOp;
            for (int i = 0; i < HypercallArgs.Count; i++)
            {
                ulong a = v.Call.ContinuationArgs.Value[i];
                v.Regs[HypercallRegisters.ArgRegister(mode, i)] = narrow ? (uint)a : a;
            }
            return false;
        }

        v.Regs[HypercallRegisters.ResultRegister(mode)] = narrow ? (uint)rc : (ulong)rc;
        return true;
    }

    /// <summary>Routes one call with decoded arguments (also used by multicall).</summary>
    public long Call(Vcpu v, ulong number, ref HypercallArgs args)
    {
        if (number >= HypercallNumber.TableSize) return -Errno.ENOSYS;
        var fn = _handlers[(int)number * GuestModes.Count + (int)v.Mode];
        if (fn == null) return -Errno.ENOSYS;
        return fn(v, ref args);
    }
}

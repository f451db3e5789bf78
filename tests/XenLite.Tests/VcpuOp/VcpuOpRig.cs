using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Tests.VcpuOp;

/// <summary>Helpers for vcpu_op tests: the call with its argument placed in guest memory.</summary>
public static class VcpuOpRig
{
    public const ulong ArgGpa = 0x2000;
    /// <summary>A guest page tests hand over as a vcpu_info / runstate / time area.</summary>
    public const ulong AreaGfn = 0x20;

    public static long VcpuOp(this TestMachine m, Vcpu caller, int cmd, uint vcpu, ulong arg = 0) =>
        m.Call(caller, HypercallNumber.VcpuOp, (ulong)cmd, vcpu, arg);

    public static long VcpuOp<T>(this TestMachine m, Vcpu caller, int cmd, uint vcpu, T arg) where T : unmanaged
    {
        m.PokeStruct(caller.Domain, ArgGpa, arg);
        return m.VcpuOp(caller, cmd, vcpu, TestMachine.GuestAddr(caller.Domain, ArgGpa));
    }

    /// <summary>A valid long-mode start state.</summary>
    public static VcpuHvmContext LongMode(ulong rip) => new()
    {
        Mode = VcpuHvmContext.Mode64,
        X86_64 = new VcpuHvmX86_64 { Rip = rip, Rsp = 0x8000, Rbx = 7, Cr0 = 0x8000_0011, Cr3 = 0x1000, Cr4 = 0x20, Efer = 0x500, Rflags = 0x202 },
    };
}

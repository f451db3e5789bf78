using XenLite.Hv.Abi;
using XenLite.Hv.Dispatch;

namespace XenLite.Hv.Common.Pmu;

/// <summary>
/// xenpmu_op (40), x86 only. Xen's vPMU is off unless booted with vpmu=, and a domain with an
/// emulated local APIC (every HVM/PVH domain) never gets the PV PMU interface: XenLite has no
/// vPMU, so every sub-op, known or not, is -EOPNOTSUPP before XSM or the argument is looked at.
/// </summary>
public static class XenpmuOpHandler
{
    public static long Handle(Vcpu v, ref HypercallArgs a) => -Errno.EOPNOTSUPP;
}

using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>The PC under the x86 hypervisor; power-off is latched (<see cref="LatchingPlatform"/>) and the image stops the machine.</summary>
public abstract class BootPlatform : LatchingPlatform
{
}

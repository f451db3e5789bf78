// Bindings to agent.S.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace XenLite.Guest
{
    public static unsafe class AgentAsm
    {
        const MethodImplOptions Extern = MethodImplOptions.InternalCall;

        [MethodImpl(Extern), RuntimeImport("*", "agent_domu_image")] public static extern byte* DomUImage();
        [MethodImpl(Extern), RuntimeImport("*", "agent_domu_size")] public static extern ulong DomUSize();
        [MethodImpl(Extern), RuntimeImport("*", "agent_dcache_clean")] public static extern void DcacheClean(byte* start, ulong length);
    }
}

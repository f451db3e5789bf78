// arm64: the domU's 4 MiB of RAM start at GUEST_RAM0_BASE (gfn 0x40000), its Image
// at +0x80000 and its device tree at +3 MiB; shared_info and the grant frames go just
// above the RAM, inside the 1-2 GiB block head.S maps as normal memory.
namespace XenLite.Guest
{
    public static class PingPongLayout
    {
        public const ulong SharedInfoGpfn = 0x40500, GrantFrameGpfn = 0x40600, StatusFrameGpfn = 0x40610;
        public const ulong PageGfn = 0x40380;   // RAM above the device tree
        public const ulong ArgoRingGfn = 0x40390;   // the Argo ring (argo=1), next to the grant page
    }
}

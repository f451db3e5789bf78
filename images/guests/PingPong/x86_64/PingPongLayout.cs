// x86_64: the domU's RAM is gfns 0-1023; shared_info and grant frames go above it.
namespace XenLite.Guest
{
    public static class PingPongLayout
    {
        public const ulong SharedInfoGpfn = 0x500, GrantFrameGpfn = 0x600, StatusFrameGpfn = 0x610;
        public const ulong PageGfn = 0x300;   // RAM above our image, heap and stacks
        public const ulong ArgoRingGfn = 0x310;   // the Argo ring (argo=1), next to the grant page
    }
}

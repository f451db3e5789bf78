// Where the arm64 policy agent keeps the received blob and the command line it reads back:
// 16 MiB into its RAM (which starts at GUEST_RAM0_BASE, 0x40000000), above the Image and its heap.
namespace XenLite.Guest
{
    public static class PolicyLayout
    {
        public const ulong BlobGpa = 0x4100_0000;
        public const ulong CmdlineGpa = 0x4120_0000;   // after the largest blob (PolicyFrame.MaxSize)
    }
}

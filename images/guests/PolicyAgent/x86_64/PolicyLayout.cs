// Where the x86_64 policy agent keeps the received blob and the command line it reads back:
// in its 64 MiB of RAM (identity mapped from 0), above the image and its heap.
namespace XenLite.Guest
{
    public static class PolicyLayout
    {
        public const ulong BlobGpa = 0x0100_0000;
        public const ulong CmdlineGpa = 0x0120_0000;   // after the largest blob (PolicyFrame.MaxSize)
    }
}

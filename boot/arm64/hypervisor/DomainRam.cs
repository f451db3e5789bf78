// The RAM the hypervisor hands to domains. Boot gave the C# heap the largest
// free RAM range (clear of the image, the device tree, the initrd and the
// dom0less modules); the hypervisor keeps HeapReserve of it for its objects
// and takes the rest, in one block from the heap's page end so the allocator
// can never hand it out again, as MachineMemory frames (identity mapped).
using XenLite.Hv.Common.Memory;
using XenLite.Runtime;

namespace XenLite.Image
{
    public static unsafe class DomainRam
    {
        const ulong HeapReserve = 32UL << 20;

        public static MachineMemory Take()
        {
            ulong unclaimed = (ulong)Allocator.BytesUnclaimed;
            // The frame tables MachineMemory allocates (~20 bytes per frame, rounded up) come out of the reserve.
            ulong frames = unclaimed > HeapReserve ? (unclaimed - HeapReserve) / 4096 : 0;
            // MachineMemory zeroes each frame when it hands it out, so the pool is not zeroed here.
            byte* block = (byte*)Allocator.ClaimPagesUninitialized((nuint)frames);
            return new MachineMemory(block, (ulong)block / 4096, frames);
        }
    }
}

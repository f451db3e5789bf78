// The RAM the hypervisor hands to domains. Boot gave the C# heap the largest
// free RAM range of the Multiboot map (above the image, the modules and the
// loader's data); the hypervisor keeps HeapReserve of it for its own objects
// and takes the rest, in one block from the heap's page end so the allocator
// can never hand it out again, as MachineMemory frames (identity mapped).
using XenLite.Hv.Common.Memory;
using XenLite.Runtime;

namespace XenLite.Image
{
    public static unsafe class DomainRam
    {
        const ulong HeapReserve = 24UL << 20;

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

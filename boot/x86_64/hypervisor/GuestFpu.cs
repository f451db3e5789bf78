// FXSAVE areas for guest vCPUs: VMRUN does not switch FPU/SSE state and both
// the hypervisor's and the guests' generated code use XMM registers. One area
// per (VMCB, register file) pair; a pair not seen before starts from the
// FNINIT/reset state (FCW 0x37f, MXCSR 0x1f80), so a new vCPU never inherits a
// previous guest's registers even when it reuses a freed VMCB frame.
namespace XenLite.Image
{
    public sealed unsafe class GuestFpu
    {
        const int AreaSize = 512, Slots = 64;
        readonly ulong[] _vmcb = new ulong[Slots];
        readonly ulong[] _regs = new ulong[Slots];
        readonly ulong[] _area = new ulong[Slots];
        int _used;

        public byte* For(ulong vmcbMaddr, void* regs)
        {
            int free = -1;
            for (int i = 0; i < _used; i++)
            {
                if (_vmcb[i] == vmcbMaddr)
                {
                    if (_regs[i] != (ulong)regs) Reset(i, regs);
                    return (byte*)_area[i];
                }
            }
            if (_used == Slots) free = (int)(vmcbMaddr / 4096 % Slots); // more vCPUs than slots: recycle
            else free = _used++;
            if (_area[free] == 0) _area[free] = (ulong)XenLite.Runtime.Allocator.Alloc(AreaSize);
            _vmcb[free] = vmcbMaddr;
            Reset(free, regs);
            return (byte*)_area[free];
        }

        void Reset(int i, void* regs)
        {
            _regs[i] = (ulong)regs;
            byte* a = (byte*)_area[i];
            for (int k = 0; k < AreaSize; k++) a[k] = 0;
            *(ushort*)a = 0x37F;            // FCW
            *(uint*)(a + 24) = 0x1F80;      // MXCSR
        }
    }
}

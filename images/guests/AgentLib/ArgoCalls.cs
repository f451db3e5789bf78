// argo_op as the dom0 agent and the ping-pong domU use it (public/argo.h):
// a one-page ring, sendv of one buffer, notify about one ring, and taking the
// next message out of our own ring (the guest moves rx_ptr, Xen moves tx_ptr).
namespace XenLite.Guest
{
    public static unsafe class Argo
    {
        public const ulong Op = 39;                 // __HYPERVISOR_argo_op
        const ulong RegisterRing = 1, Sendv = 3, NotifyOp = 4;
        const int HeaderSize = 64;                  // xen_argo_ring: rx_ptr, tx_ptr, reserved
        const int MessageHeader = 16;               // len, source addr, message_type
        public const uint RingLen = 4096 - HeaderSize;   // the ring bytes of one page
        public const uint VirqArgo = 11;
        public const ushort RingExists = 1, RingSufficient = 1 << 3;

        /// <summary>XEN_ARGO_OP_register_ring: one page at <paramref name="page"/>, only <paramref name="partner"/> may send.</summary>
        public static long Register(byte* page, uint aport, ushort partner)
        {
            for (int i = 0; i < HeaderSize; i++) page[i] = 0;
            byte* reg = Zeroed(Scratch.A(12), 12);
            *(uint*)reg = aport;
            *(ushort*)(reg + 4) = partner;
            *(uint*)(reg + 8) = RingLen;
            ulong* gfn = (ulong*)Scratch.B(8);
            *gfn = (ulong)page >> 12;
            return Xen.Call(Op, RegisterRing, (ulong)reg, (ulong)gfn, 1, 0);
        }

        /// <summary>XEN_ARGO_OP_sendv of the NUL-terminated text (NUL included): the payload length or an errno.</summary>
        public static long Send(uint fromPort, ushort toDom, uint toPort, byte* text, uint messageType)
        {
            uint len = 0;
            while (text[len] != 0) len++;
            byte* addr = Zeroed(Scratch.A(32), 32);
            *(uint*)addr = fromPort;
            *(ushort*)(addr + 4) = 0x7FF4;   // XEN_ARGO_DOMID_ANY: Xen fills in our id
            *(uint*)(addr + 8) = toPort;
            *(ushort*)(addr + 12) = toDom;
            ulong* iov = (ulong*)(addr + 16);
            iov[0] = (ulong)text;
            iov[1] = len + 1;
            return Xen.Call(Op, Sendv, (ulong)addr, (ulong)iov, 1, messageType);
        }

        /// <summary>XEN_ARGO_OP_notify asking about one ring: its flags (or a negative errno); <paramref name="maxMessage"/> as Xen reports it.</summary>
        public static long Query(ushort dom, uint aport, uint spaceRequired, out uint maxMessage)
        {
            byte* data = Zeroed(Scratch.A(8 + 20), 8 + 20);
            *(uint*)data = 1;
            byte* ent = data + 8;
            *(uint*)ent = aport;
            *(ushort*)(ent + 4) = dom;
            *(uint*)(ent + 12) = spaceRequired;
            long rc = Xen.Call(Op, NotifyOp, (ulong)data, 0, 0, 0);
            maxMessage = *(uint*)(ent + 16);
            return rc < 0 ? rc : *(ushort*)(ent + 8);
        }

        // Scratch pages come filled with a marker; Argo refuses non-zero pad fields.
        static byte* Zeroed(byte* p, int size)
        {
            for (int i = 0; i < size; i++) p[i] = 0;
            return p;
        }

        /// <summary>
        /// Copies the next message's payload out of our ring (up to <paramref name="max"/> bytes), gives the
        /// sender and type, and frees its slots; -1 when the ring is empty.
        /// </summary>
        public static long Take(byte* page, byte* into, int max, out ushort fromDom, out uint fromPort, out uint type)
        {
            uint* rx = (uint*)page;
            uint tx = *(uint*)(page + 4);
            fromDom = 0; fromPort = 0; type = 0;
            if (*rx == tx) return -1;
            byte* m = page + HeaderSize + *rx;
            uint len = *(uint*)m - MessageHeader;
            fromPort = *(uint*)(m + 4);
            fromDom = *(ushort*)(m + 8);
            type = *(uint*)(m + 12);
            // Our few short messages start at offset 0 and never reach the ring's end: no wrap to follow.
            for (uint i = 0; i < len && i < (uint)max; i++) into[i] = m[MessageHeader + i];
            uint next = *rx + ((*(uint*)m + 15) & ~15u);
            *rx = next >= RingLen ? next - RingLen : next;
            return len;
        }
    }
}

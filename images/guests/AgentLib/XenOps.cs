// What the dom0 agent and the ping-pong domU both need from Xen: hypercall
// numbers, shared_info (2-level pending bits), event channels, grant entries
// and system time. Numbers and layouts from Xen's public headers (xen.h,
// memory.h, event_channel.h, grant_table.h, sched.h, vcpu.h, hvm/hvm_op.h),
// kept apart from hv/Abi so the guests check the hypervisor independently.
namespace XenLite.Guest
{
    public static class Nr
    {
        public const ulong MemoryOp = 12, GrantTableOp = 20, VcpuOp = 24, SchedOp = 29, EventChannelOp = 32,
            HvmOp = 34, Sysctl = 35, Domctl = 36;
        public const ushort DomidSelf = 0x7FF0;
    }

    /// <summary>shared_info mapped into our physmap (XENMEM_add_to_physmap, XENMAPSPACE_shared_info).</summary>
    public static unsafe class SharedInfo
    {
        const ulong XenmemAddToPhysmap = 7;

        public static byte* Page;

        public static long Map(ulong gpfn)
        {
            long rc = AddToPhysmap(0, 0, gpfn);
            if (rc == 0) Page = (byte*)(gpfn << 12);
            return rc;
        }

        /// <summary>XENMEM_add_to_physmap for ourselves: space 0 shared_info, 1 grant_table.</summary>
        public static long AddToPhysmap(uint space, ulong idx, ulong gpfn)
        {
            byte* x = Scratch.A(24);
            *(ushort*)x = Nr.DomidSelf;
            *(ushort*)(x + 2) = 1;
            *(uint*)(x + 4) = space;
            *(ulong*)(x + 8) = idx;
            *(ulong*)(x + 16) = gpfn;
            return Xen.Call(Nr.MemoryOp, XenmemAddToPhysmap, (ulong)x);
        }

        /// <summary>
        /// Takes the port's pending bit (2-level ABI): true when it was set. Like a guest's upcall
        /// handler it first clears vCPU 0's evtchn_upcall_pending and pending_sel, so a later
        /// SCHEDOP_poll blocks until a new event instead of returning at once.
        /// </summary>
        public static bool TakePending(uint port)
        {
            Page[0] = 0;
            *(ulong*)(Page + 8) = 0;
            ulong* word = (ulong*)(Page + SharedInfoLayout.PendingOffset) + port / 64;
            ulong bit = 1UL << (int)(port % 64);
            if ((*word & bit) == 0) return false;
            *word &= ~bit;
            return true;
        }
    }

    public static unsafe class Evtchn
    {
        const ulong BindInterdomain = 0, BindVirq = 1, Close = 3, Send = 4, AllocUnbound = 6;
        const ulong Poll = 3;

        public static long Alloc(ushort remote)
        {
            byte* a = Scratch.A(8);
            *(ushort*)a = Nr.DomidSelf;
            *(ushort*)(a + 2) = remote;
            long rc = Xen.Call(Nr.EventChannelOp, AllocUnbound, (ulong)a);
            return rc < 0 ? rc : *(uint*)(a + 4);
        }

        public static long Bind(ushort remoteDom, uint remotePort)
        {
            byte* a = Scratch.A(12);
            *(ushort*)a = remoteDom;
            *(uint*)(a + 4) = remotePort;
            long rc = Xen.Call(Nr.EventChannelOp, BindInterdomain, (ulong)a);
            return rc < 0 ? rc : *(uint*)(a + 8);
        }

        public static long Virq(uint virq)
        {
            byte* a = Scratch.A(12);
            *(uint*)a = virq;
            *(uint*)(a + 4) = 0;
            long rc = Xen.Call(Nr.EventChannelOp, BindVirq, (ulong)a);
            return rc < 0 ? rc : *(uint*)(a + 8);
        }

        public static long Notify(uint port)
        {
            uint* a = (uint*)Scratch.A(4);
            *a = port;
            return Xen.Call(Nr.EventChannelOp, Send, (ulong)a);
        }

        public static long Shut(uint port)
        {
            uint* a = (uint*)Scratch.A(4);
            *a = port;
            return Xen.Call(Nr.EventChannelOp, Close, (ulong)a);
        }

        /// <summary>Waits for the port (SCHEDOP_poll, the vCPU blocks in Xen) and takes its pending bit.</summary>
        public static long Wait(uint port)
        {
            uint* p = (uint*)Scratch.B(32);
            while (!SharedInfo.TakePending(port))
            {
                p[0] = port;
                ulong* poll = (ulong*)(p + 2);
                poll[0] = (ulong)p;   // ports
                poll[1] = 1;          // nr_ports
                poll[2] = 0;          // no timeout
                long rc = Xen.Call(Nr.SchedOp, Poll, (ulong)poll);
                if (rc < 0) return rc;
            }
            return 0;
        }
    }

    /// <summary>Writes and clears entries of our own grant table (v1 8-byte, v2 16-byte entries).</summary>
    public static unsafe class GrantEntry
    {
        public const ushort PermitAccess = 1, ReadOnly = 1 << 2;

        public static void Offer(byte* table, int version, uint gref, ushort dom, ulong frame, bool readOnly)
        {
            ushort flags = (ushort)(PermitAccess | (readOnly ? ReadOnly : 0));
            if (version == 1)
            {
                byte* e = table + gref * 8;
                *(ushort*)(e + 2) = dom;
                *(uint*)(e + 4) = (uint)frame;
                *(ushort*)e = flags;    // last: the entry is valid from here on
            }
            else
            {
                byte* e = table + gref * 16;
                *(ushort*)(e + 2) = dom;
                *(ulong*)(e + 8) = frame;
                *(ushort*)e = flags;
            }
        }

        public static void Revoke(byte* table, int version, uint gref) => *(ushort*)(table + gref * (version == 1 ? 8 : 16)) = 0;
    }

    public static unsafe class Text
    {
        public static void Put(byte* p, System.ReadOnlySpan<byte> s)
        {
            for (int i = 0; i < s.Length; i++) p[i] = s[i];
            p[s.Length] = 0;
        }

        public static bool Is(byte* p, System.ReadOnlySpan<byte> s)
        {
            for (int i = 0; i < s.Length; i++) if (p[i] != s[i]) return false;
            return p[s.Length] == 0;
        }

        /// <summary>The decimal value after "key=" in a NUL-terminated string, or -1.</summary>
        public static long Value(byte* s, System.ReadOnlySpan<byte> key)
        {
            for (int i = 0; s[i] != 0; i++)
            {
                int k = 0;
                while (k < key.Length && s[i + k] == key[k]) k++;
                if (k < key.Length) continue;
                long v = 0;
                int j = i + k;
                if (s[j] < (byte)'0' || s[j] > (byte)'9') return -1;
                while (s[j] >= (byte)'0' && s[j] <= (byte)'9') v = v * 10 + (s[j++] - (byte)'0');
                return v;
            }
            return -1;
        }
    }
}

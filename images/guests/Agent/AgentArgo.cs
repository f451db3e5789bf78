// The agent's Argo exchange with the ping-pong domU (mode "argo=1" on dom0's
// command line: x86_64 hvm_start_info, arm64 /chosen bootargs, which the
// hypervisor takes from the host's xen,dom0-bootargs; passed on to the domU;
// the hypervisor needs argo=1 too). Both
// register a one-page ring on aport 0xA0 that only the other may send to; the
// event channel of the ping-pong orders the steps: the domU's ring is ready,
// dom0 asks notify about it and sendv's a greeting, the domU reads it from its
// ring and answers into dom0's ring, which raises VIRQ_ARGO in dom0.
namespace XenLite.Guest
{
    public static unsafe class AgentArgo
    {
        public const uint Aport = 0xA0;
        public const uint GreetingType = 1, ReplyType = 2;

        public static void Run(ushort dom, uint port)
        {
            long virq = Evtchn.Virq(Argo.VirqArgo);
            Suite.Report("argo.bind_virq", Expect.True(virq >= 0, "EVTCHNOP_bind_virq(VIRQ_ARGO)"));
            byte* ring = (byte*)XenLite.Runtime.Allocator.AllocPages(1);
            long rc = Argo.Register(ring, Aport, dom);
            Suite.Report("argo.register_ring", Expect.Equal(rc, 0, "XEN_ARGO_OP_register_ring (dom0, partner the domU)"));
            rc = Evtchn.Notify(port);        // "go": the domU registers its ring
            if (rc == 0) rc = Evtchn.Wait(port);
            Suite.Report("argo.domu_ring_ready", Expect.Equal(rc, 0, "the domU's event after registering its ring"));
            if (rc != 0) return;

            long flags = Argo.Query(dom, Aport, 64, out uint max);
            Suite.Report("argo.notify_sees_domu_ring",
                flags < 0 ? Expect.Equal(flags, 0, "XEN_ARGO_OP_notify") :
                Expect.True((flags & (Argo.RingExists | Argo.RingSufficient)) == (Argo.RingExists | Argo.RingSufficient) && max != 0,
                    "notify: the domU's ring exists and has room for 64 bytes"));

            byte* hello = Scratch.B(64);
            Text.Put(hello, "hello over argo from dom0"u8);
            long sent = Argo.Send(Aport, dom, Aport, hello, GreetingType);
            Suite.Report("argo.sendv_to_domu", Expect.Equal(sent, 26, "XEN_ARGO_OP_sendv (25 bytes and the NUL)"));
            rc = Evtchn.Notify(port);
            if (rc == 0) rc = Evtchn.Wait(port);
            if (rc != 0)
            {
                Suite.Report("argo.reply_from_domu", Expect.Equal(rc, 0, "events around the domU's reply"));
                return;
            }

            byte* got = Scratch.B(128);
            long n = Argo.Take(ring, got, 127, out ushort fromDom, out uint fromPort, out uint type);
            string why = n < 0 ? "dom0's ring is empty after the domU's event" : null;
            if (why == null) why = Expect.True(Text.Is(got, "domU got: hello over argo from dom0"u8), "the reply's text (the domU quotes what its ring held)");
            if (why == null) why = Expect.True(fromDom == dom && fromPort == Aport, "the reply's source (domU, aport 0xA0) in its message header");
            if (why == null) why = Expect.Equal(type, ReplyType, "the reply's message type");
            Suite.Report("argo.reply_from_domu", why);
            Suite.Report("argo.ring_empty_after_read", Expect.True(Argo.Take(ring, got, 127, out _, out _, out _) < 0, "a second message in dom0's ring"));
            if (virq >= 0)
                Suite.Report("argo.virq_on_delivery", Expect.True(SharedInfo.TakePending((uint)virq), "VIRQ_ARGO pending after the domU's sendv"));
        }
    }
}

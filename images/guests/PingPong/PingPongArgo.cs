// The domU's half of the agent's Argo exchange (AgentArgo): a ring on aport
// 0xA0 only dom0 may send to, then one greeting read and quoted back.
namespace XenLite.Guest
{
    public static unsafe class PingPongArgo
    {
        const ulong RingGfn = PingPongLayout.ArgoRingGfn;
        const ushort Dom0 = 0;
        const uint Aport = 0xA0, ReplyType = 2;

        public static void Run(uint port)
        {
            byte* ring = (byte*)(RingGfn << 12);
            Evtchn.Wait(port);               // dom0's "go"
            long rc = Argo.Register(ring, Aport, Dom0);
            if (rc != 0) Out.Line("pingpong: argo register_ring failed");
            Evtchn.Notify(port);
            Evtchn.Wait(port);
            byte* reply = Scratch.B(160);
            Text.Put(reply, "domU got: "u8);
            long n = Argo.Take(ring, reply + 10, 100, out ushort from, out _, out _);
            if (n < 0 || from != Dom0) Text.Put(reply, "domU got nothing from dom0"u8);
            reply[110] = 0;
            rc = Argo.Send(Aport, Dom0, Aport, reply, ReplyType);
            Evtchn.Notify(port);
            Out.Line(rc > 0 ? "pingpong: argo message answered" : "pingpong: argo sendv failed");
        }
    }
}

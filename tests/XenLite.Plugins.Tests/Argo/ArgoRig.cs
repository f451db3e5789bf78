using System;
using System.Collections.Generic;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Hv.Xsm;
using XenLite.Plugin.Argo;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Argo;

/// <summary>
/// A hosted machine with the Argo plugin built in, and the guest side of the protocol: where
/// a guest keeps its argument structs, gfn lists, iovs and ring pages, and the argo_op calls.
/// </summary>
public static unsafe class ArgoRig
{
    public const ulong ArgGpa = 0x1000;
    public const ulong ListGpa = 0x2000;
    public const ulong IovGpa = 0x3000;
    /// <summary>Message payloads a sender gathers from (4 pages).</summary>
    public const ulong DataGpa = 0x4000;
    /// <summary>The first ring page; rings are laid out from here in guest-physical memory.</summary>
    public const ulong RingGfn = 0x10;
    public const ulong RingGpa = RingGfn << 12;
    /// <summary>A guest frame outside every test domain's RAM.</summary>
    public const ulong HoleGfn = 0x3000;

    public static TestMachine Machine(string commandLine = "argo=1,mac-permissive", XsmModule xsm = null)
    {
        var m = new TestMachine(ArgoPlugin.Register, xsm: xsm, features: Feature.Argo);
        m.Hv.Build.CommandLine = commandLine;
        ArgoPlugin.Init(m.Hv);
        return m;
    }

    /// <summary>An unprivileged guest (64 pages of RAM).</summary>
    public static Domain Guest(this TestMachine m, uint id, GuestMode mode = GuestMode.Hvm64) => m.NewDomain(mode, id, pages: 64, privileged: false);

    public static long Argo(this TestMachine m, Domain d, int cmd, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0) =>
        m.Call(d.Vcpus[0], HypercallNumber.ArgoOp, (ulong)cmd, a1, a2, a3, a4);

    static ulong G(Domain d, ulong gpa) => TestMachine.GuestAddr(d, gpa);

    /// <summary>The frame numbers a guest names its ring pages by (PV guests: machine frames).</summary>
    public static ulong[] RingFrames(Domain d, uint npage, ulong firstGfn = RingGfn)
    {
        var f = new ulong[npage];
        for (uint i = 0; i < npage; i++)
        {
            ulong gfn = firstGfn + i;
            f[i] = GuestModes.IsPv(d.Mode) ? d.P2m.Lookup(new Hv.Common.Memory.Gfn(gfn)).Value : gfn;
        }
        return f;
    }

    public static long Register(this TestMachine m, Domain d, uint aport, ushort partner, uint len,
        ulong[] frames = null, uint flags = 0, ushort pad = 0, ulong firstGfn = RingGfn)
    {
        frames ??= RingFrames(d, ArgoAbi.PagesFor(len), firstGfn);
        m.PokeStruct(d, ArgGpa, new ArgoRegisterRing { Aport = aport, PartnerId = partner, Len = len, Pad = pad });
        for (int i = 0; i < frames.Length; i++) m.PokeStruct(d, ListGpa + (ulong)i * 8, frames[i]);
        return m.Argo(d, ArgoAbi.OpRegisterRing, G(d, ArgGpa), G(d, ListGpa), (ulong)frames.Length, flags);
    }

    public static long Unregister(this TestMachine m, Domain d, uint aport, ushort partner, ushort pad = 0)
    {
        m.PokeStruct(d, ArgGpa, new ArgoUnregisterRing { Aport = aport, PartnerId = partner, Pad = pad });
        return m.Argo(d, ArgoAbi.OpUnregisterRing, G(d, ArgGpa));
    }

    /// <summary>sendv from <paramref name="d"/> with each payload in its own iov.</summary>
    public static long Send(this TestMachine m, Domain d, ArgoAddr src, ArgoAddr dst, uint type, params byte[][] payloads)
    {
        var iovs = new ArgoIov[payloads.Length];
        ulong at = DataGpa;
        for (int i = 0; i < payloads.Length; i++)
        {
            m.Poke(d, at, payloads[i]);
            iovs[i] = new ArgoIov { Handle = G(d, at), Len = (uint)payloads[i].Length };
            at += (ulong)payloads[i].Length;
        }
        return m.SendIovs(d, src, dst, type, iovs);
    }

    /// <summary>sendv with iovs as given (native layout for 64-bit guests, compat for 32-bit ones).</summary>
    public static long SendIovs(this TestMachine m, Domain d, ArgoAddr src, ArgoAddr dst, uint type, ArgoIov[] iovs)
    {
        m.PokeStruct(d, ArgGpa, new ArgoSendAddr { Src = src, Dst = dst });
        bool compat = GuestModes.Is32Bit(d.Mode);
        for (int i = 0; i < iovs.Length; i++)
        {
            if (compat)
                m.PokeStruct(d, IovGpa + (ulong)i * 12, new ArgoIovCompat { Handle = (uint)iovs[i].Handle, Len = iovs[i].Len, Pad = iovs[i].Pad });
            else
                m.PokeStruct(d, IovGpa + (ulong)i * 16, iovs[i]);
        }
        return m.Argo(d, ArgoAbi.OpSendv, G(d, ArgGpa), G(d, IovGpa), (ulong)iovs.Length, type);
    }

    public static ArgoAddr Addr(uint aport, ushort domain) => new() { Aport = aport, DomainId = domain };

    /// <summary>notify with these entries; the entries as Xen left them come back.</summary>
    public static long Notify(this TestMachine m, Domain d, ArgoRingDataEnt[] ents)
    {
        m.PokeStruct(d, ArgGpa, new ArgoRingData { Nent = (uint)ents.Length });
        for (int i = 0; i < ents.Length; i++) m.PokeStruct(d, ArgGpa + 8 + (ulong)i * 20, ents[i]);
        long rc = m.Argo(d, ArgoAbi.OpNotify, G(d, ArgGpa));
        for (int i = 0; i < ents.Length; i++) ents[i] = m.PeekStruct<ArgoRingDataEnt>(d, ArgGpa + 8 + (ulong)i * 20);
        return rc;
    }

    public static ArgoRingDataEnt Query(this TestMachine m, Domain d, uint aport, ushort domain, uint spaceRequired = 0)
    {
        var ents = new[] { new ArgoRingDataEnt { Ring = Addr(aport, domain), SpaceRequired = spaceRequired } };
        long rc = m.Notify(d, ents);
        if (rc != 0) throw new InvalidOperationException($"notify failed: {rc}");
        return ents[0];
    }

    // The ring as its owner sees it in its memory.
    public static uint RxPtr(this TestMachine m, Domain d, ulong ringGpa = RingGpa) => m.PeekStruct<uint>(d, ringGpa);
    public static uint TxPtr(this TestMachine m, Domain d, ulong ringGpa = RingGpa) => m.PeekStruct<uint>(d, ringGpa + 4);
    public static void SetRxPtr(this TestMachine m, Domain d, uint rx, ulong ringGpa = RingGpa) => m.PokeStruct(d, ringGpa, rx);
    public static void SetTxPtr(this TestMachine m, Domain d, uint tx, ulong ringGpa = RingGpa) => m.PokeStruct(d, ringGpa + 4, tx);

    /// <summary>Reads the message at ring offset <paramref name="at"/> the way a receiver does, wrapping at <paramref name="len"/>.</summary>
    public static (ArgoMessageHeader Header, byte[] Payload) ReadMessage(this TestMachine m, Domain d, uint at, uint len, ulong ringGpa = RingGpa)
    {
        ulong ring = ringGpa + ArgoAbi.RingHeaderSize;
        var h = m.PeekStruct<ArgoMessageHeader>(d, ring + at);
        var payload = new byte[h.Len - ArgoAbi.MessageHeaderSize];
        uint p = (at + ArgoAbi.MessageHeaderSize) % len;
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = m.Peek(d, ring + p, 1)[0];
            p = (p + 1) % len;
        }
        return (h, payload);
    }

    public static byte[] Bytes(int n, byte seed)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)(seed + i);
        return b;
    }

    /// <summary>Binds VIRQ_ARGO in <paramref name="d"/> and returns the port to watch.</summary>
    public static uint BindArgoVirq(this TestMachine m, Domain d)
    {
        long rc = XenLite.Tests.Events.EvtchnRig.BindVirq(m, d.Vcpus[0], Virq.Argo, 0, out uint port);
        if (rc != 0) throw new InvalidOperationException($"bind_virq failed: {rc}");
        return port;
    }

    public static bool Signalled(Domain d, uint port) => d.Events.IsPending(port);

    public static void ClearSignal(Domain d, uint port) => d.Events.ClearPending(port);
}

using System;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using XenLite.Plugin.Kexec;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Kexec;

/// <summary>A hosted machine with the kexec plugin, a PV control domain and a recording handoff.</summary>
public sealed unsafe class KexecRig : IDisposable
{
    public const ulong ArgGpa = 0x1000;
    public const ulong SegmentsGpa = 0x2000;
    public const ulong BufGpa = 0x4000;

    public readonly TestMachine M;
    public readonly Domain Dom0;
    public readonly RecordingHandoff Handoff = new();

    public KexecRig(GuestMode mode = GuestMode.Pv64, string cmdline = null, bool handoff = true, ulong ramPages = TestMachine.DefaultRamPages)
    {
        M = new TestMachine(KexecPlugin.Register, ramPages, features: Feature.Kexec);
        if (cmdline != null) M.Hv.Build.CommandLine = cmdline;
        if (handoff) M.Platform.Handoff = Handoff;
        KexecPlugin.Init(M.Hv);
        Dom0 = M.NewDomain(mode, 0, pages: 128);
    }

    public KexecState State => KexecState.Of(M.Hv);
    public Vcpu V => Dom0.Vcpus[0];
    public ulong Addr(ulong gpa) => TestMachine.GuestAddr(Dom0, gpa);

    public long Op(ulong cmd, ulong gpa = ArgGpa) => M.Call(V, HypercallNumber.KexecOp, cmd, Addr(gpa));

    public long OpRaw(ulong cmd, ulong arg) => M.Call(V, HypercallNumber.KexecOp, cmd, arg);

    public long Status(int type)
    {
        M.PokeStruct(Dom0, ArgGpa, new KexecTypeArg { Type = (byte)type });
        return Op(KexecCmd.Status);
    }

    public long Unload(int type)
    {
        M.PokeStruct(Dom0, ArgGpa, new KexecTypeArg { Type = (byte)type });
        return Op(KexecCmd.Unload);
    }

    public long Exec(int type)
    {
        M.PokeStruct(Dom0, ArgGpa, new KexecExecArg { Type = type });
        return Op(KexecCmd.Exec);
    }

    public long Range(int range, int nr, out KexecRangeArg r)
    {
        M.PokeStruct(Dom0, ArgGpa, new KexecRangeArg { Range = range, Nr = nr, Size = 0xAAAA, Start = 0xBBBB });
        long rc = Op(KexecCmd.GetRange);
        r = M.PeekStruct<KexecRangeArg>(Dom0, ArgGpa);
        return rc;
    }

    /// <summary>Writes the segments (buffers given as guest-physical addresses, 0 = none) and loads them.</summary>
    public long Load(int type, ulong entry, ushort arch, params KexecSegment[] segments)
    {
        for (int i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            if (s.Buf != 0) s.Buf = Addr(s.Buf);
            M.PokeStruct(Dom0, SegmentsGpa + (ulong)(i * sizeof(KexecSegment)), s);
        }
        M.PokeStruct(Dom0, ArgGpa, new KexecLoadArg
        {
            Type = (byte)type, Arch = arch, NrSegments = (uint)segments.Length,
            Segments = Addr(SegmentsGpa), EntryMaddr = entry,
        });
        return Op(KexecCmd.Load);
    }

    public static KexecSegment Seg(ulong bufGpa, ulong bufSize, ulong dest, ulong destSize) =>
        new() { Buf = bufGpa, BufSize = bufSize, DestMaddr = dest, DestSize = destSize };

    /// <summary>Fills guest bytes at <paramref name="gpa"/> with a pattern derived from <paramref name="seed"/>.</summary>
    public byte[] FillPattern(ulong gpa, int length, byte seed)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)(seed + i * 7);
        M.Poke(Dom0, gpa, bytes);
        return bytes;
    }

    /// <summary>Frames owned by DOMID_XEN now: what loaded images (and the plugin's own pages) hold.</summary>
    public int XenFrames()
    {
        int n = 0;
        var mem = M.Hv.Memory;
        for (ulong f = mem.FirstFrame; f < mem.MaxPage; f++)
            if (mem.OwnerOf(new Mfn(f)) == (ushort)DomainIds.Xen) n++;
        return n;
    }

    public byte[] MachineBytes(ulong maddr, int length)
    {
        var r = new byte[length];
        for (int i = 0; i < length; i++)
        {
            ulong a = maddr + (ulong)i;
            r[i] = M.Hv.Memory.Map(new Maddr(a).Frame)[a & Page.Mask];
        }
        return r;
    }

    public void Dispose() => M.Dispose();
}

/// <summary>The image side of a handoff, recorded: what a real machine would copy and where it would jump.</summary>
public sealed class RecordingHandoff : ImageHandoff
{
    public ulong Start = 0x20_0000, Size = 0x40_0000;
    public int Result;
    public int Calls;
    public ulong Entry, Control;
    public ushort Arch;
    public HandoffPage[] Pages = Array.Empty<HandoffPage>();

    public override ulong ImageStart => Start;
    public override ulong ImageSize => Size;

    public override int Replace(ulong entryMaddr, ushort elfMachine, HandoffPage[] pages, int count, ulong controlMaddr)
    {
        Calls++;
        Entry = entryMaddr;
        Arch = elfMachine;
        Control = controlMaddr;
        Pages = pages[..count];
        return Result;
    }
}

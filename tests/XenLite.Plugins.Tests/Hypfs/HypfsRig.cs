using System;
using System.Collections.Generic;
using System.Text;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using XenLite.Hv.Xsm;
using XenLite.Plugin.Hypfs;
using XenLite.Tests.Harness;

namespace XenLite.Plugins.Tests.Hypfs;

/// <summary>A hosted machine with the Hypfs plugin built in, and a guest-side client of hypfs_op.</summary>
public static unsafe class HypfsRig
{
    public const ulong PathGpa = 0x1000;
    /// <summary>The read/write buffer (4 pages).</summary>
    public const ulong BufGpa = 0x2000;
    public const ulong BufSize = 0x4000;

    public static TestMachine Machine(string commandLine = null, XsmModule xsm = null)
    {
        var m = new TestMachine(HypfsPlugin.Register, xsm: xsm, features: Feature.Hypfs);
        if (commandLine != null) m.Hv.Build.CommandLine = commandLine;
        HypfsPlugin.Init(m.Hv);
        return m;
    }

    public static long Op(this TestMachine m, Domain d, int cmd, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0) =>
        m.Call(d.Vcpus[0], HypercallNumber.HypfsOp, (ulong)cmd, a1, a2, a3, a4);

    static ulong G(Domain d, ulong gpa) => TestMachine.GuestAddr(d, gpa);

    /// <summary>Puts the path with its NUL in guest memory; returns the length to pass.</summary>
    public static ulong PutPath(this TestMachine m, Domain d, string path)
    {
        var b = Encoding.ASCII.GetBytes(path + "\0");
        m.Poke(d, PathGpa, b);
        return (ulong)b.Length;
    }

    /// <summary>XEN_HYPFS_OP_read into a buffer of <paramref name="bufLen"/> bytes (pre-filled with 0xEE).</summary>
    public static long Read(this TestMachine m, Domain d, string path, out HypfsDirentry e, out byte[] content, ulong bufLen = BufSize)
    {
        m.Poke(d, BufGpa, Filled((int)Math.Min(bufLen, BufSize), 0xEE));
        ulong len = m.PutPath(d, path);
        long rc = m.Op(d, HypfsAbi.OpRead, G(d, PathGpa), len, G(d, BufGpa), bufLen);
        e = m.PeekStruct<HypfsDirentry>(d, BufGpa);
        content = rc == 0 ? m.Peek(d, BufGpa + (ulong)sizeof(HypfsDirentry), (int)e.ContentLen) : null;
        return rc;
    }

    /// <summary>The string a leaf holds (without its NUL); throws if the read fails.</summary>
    public static string ReadString(this TestMachine m, Domain d, string path)
    {
        long rc = m.Read(d, path, out var e, out var content);
        if (rc != 0) throw new InvalidOperationException($"read {path}: {rc}");
        if (e.Type != HypfsAbi.TypeString || content[^1] != 0) throw new InvalidOperationException($"{path} is no string");
        return Encoding.ASCII.GetString(content, 0, content.Length - 1);
    }

    public static long Write(this TestMachine m, Domain d, string path, byte[] value, ulong? length = null)
    {
        m.Poke(d, BufGpa, value);
        ulong len = m.PutPath(d, path);
        return m.Op(d, HypfsAbi.OpWriteContents, G(d, PathGpa), len, G(d, BufGpa), length ?? (ulong)value.Length);
    }

    public static long WriteString(this TestMachine m, Domain d, string path, string value) =>
        m.Write(d, path, Encoding.ASCII.GetBytes(value + "\0"));

    public record DirEntry(string Name, HypfsDirentry E, ushort OffNext, int Offset);

    /// <summary>Walks a directory's contents by off_next, as a client does.</summary>
    public static List<DirEntry> ParseDir(byte[] content)
    {
        var list = new List<DirEntry>();
        int at = 0;
        for (;;)
        {
            HypfsDirentry e;
            fixed (byte* p = &content[at]) e = *(HypfsDirentry*)p;
            ushort next = BitConverter.ToUInt16(content, at + sizeof(HypfsDirentry));
            int name = at + (int)HypfsAbi.DirlistNameOffset;
            int end = Array.IndexOf(content, (byte)0, name);
            list.Add(new DirEntry(Encoding.ASCII.GetString(content, name, end - name), e, next, at));
            if (next == 0) return list;
            at += next;
        }
    }

    public static byte[] Filled(int n, byte value)
    {
        var b = new byte[n];
        Array.Fill(b, value);
        return b;
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;

namespace XenLite.Plugin.Hypfs;

/// <summary>A node of the tree (Xen's hypfs_entry with its funcs): type, encoding, size and how it reads and writes.</summary>
public abstract unsafe class HypfsNode
{
    public readonly string Name;
    public readonly byte Type;
    public byte Encoding = HypfsAbi.EncPlain;
    /// <summary>max_write_len: 0 for read-only nodes.</summary>
    public uint MaxSize;

    protected HypfsNode(string name, byte type)
    {
        Name = name;
        Type = type;
    }

    /// <summary>content_len: bytes <see cref="Read"/> writes.</summary>
    public abstract uint Size { get; }

    /// <summary>Writes the contents to the guest at <paramref name="addr"/> (the caller checked the room).</summary>
    public abstract int Read(Vcpu v, ulong addr);

    /// <summary>Replaces the contents from the guest's buffer; nodes are read-only unless they say otherwise.</summary>
    public virtual int Write(Vcpu v, ulong addr, uint len) => -Errno.EACCES;

    /// <summary>This node as a directory, or null (no type tests needed to walk a path).</summary>
    public virtual HypfsDir AsDir => null;

    public HypfsDirentry Direntry => new HypfsDirentry { Type = Type, Encoding = Encoding, ContentLen = Size, MaxWriteLen = MaxSize };

    /// <summary>strcmp of this node's name with <paramref name="name"/>.</summary>
    public int CompareName(byte* name, int length)
    {
        for (int i = 0; ; i++)
        {
            int a = i < Name.Length ? Name[i] : 0;
            int b = i < length ? name[i] : 0;
            if (a != b || a == 0) return a - b;
        }
    }

    protected static int CopyOut(Vcpu v, ulong addr, byte[] bytes, uint length)
    {
        if (length == 0) return 0;
        fixed (byte* p = bytes) return GuestMemory.CopyTo(v, addr, p, length) != 0 ? -Errno.EFAULT : 0;
    }
}

/// <summary>A directory: children kept sorted by name; its contents are xen_hypfs_dirlistentry records.</summary>
public sealed unsafe class HypfsDir : HypfsNode
{
    HypfsNode[] _children = new HypfsNode[4];
    int _count;
    uint _size;

    public HypfsDir(string name) : base(name, HypfsAbi.TypeDir) { }

    public override HypfsDir AsDir => this;
    public override uint Size => _size;
    public int Count => _count;

    /// <summary>Adds <paramref name="node"/> in name order; -EEXIST when the name is taken.</summary>
    public int Add(HypfsNode node)
    {
        int at = 0;
        while (at < _count)
        {
            int cmp = Compare(_children[at].Name, node.Name);
            if (cmp == 0) return -Errno.EEXIST;
            if (cmp > 0) break;
            at++;
        }
        if (_count == _children.Length)
        {
            var grown = new HypfsNode[_count * 2];
            for (int i = 0; i < _count; i++) grown[i] = _children[i];
            _children = grown;
        }
        for (int i = _count; i > at; i--) _children[i] = _children[i - 1];
        _children[at] = node;
        _count++;
        _size += HypfsAbi.DirlistEntrySize(node.Name.Length);
        return 0;
    }

    static int Compare(string a, string b)
    {
        for (int i = 0; ; i++)
        {
            int x = i < a.Length ? a[i] : 0;
            int y = i < b.Length ? b[i] : 0;
            if (x != y || x == 0) return x - y;
        }
    }

    /// <summary>The child named by the <paramref name="length"/> bytes at <paramref name="name"/>, or null.</summary>
    public HypfsNode Find(byte* name, int length)
    {
        for (int i = 0; i < _count; i++)
            if (_children[i].CompareName(name, length) == 0) return _children[i];
        return null;
    }

    /// <summary>One record per child: direntry, off_next (0 for the last), the NUL-terminated name.
    /// Padding after a name is left as the guest had it, as Xen does.</summary>
    public override int Read(Vcpu v, ulong addr)
    {
        byte* name = stackalloc byte[HypfsAbi.MaxPathLen];
        for (int i = 0; i < _count; i++)
        {
            HypfsNode c = _children[i];
            uint entrySize = HypfsAbi.DirlistEntrySize(c.Name.Length);
            HypfsDirentry e = c.Direntry;
            ushort next = (ushort)(i == _count - 1 ? 0 : entrySize);
            for (int k = 0; k < c.Name.Length; k++) name[k] = (byte)c.Name[k];
            name[c.Name.Length] = 0;
            if (GuestMemory.CopyTo(v, addr, &e, (ulong)sizeof(HypfsDirentry)) != 0 ||
                GuestMemory.CopyTo(v, addr + (ulong)sizeof(HypfsDirentry), &next, sizeof(ushort)) != 0 ||
                GuestMemory.CopyTo(v, addr + HypfsAbi.DirlistNameOffset, name, (ulong)c.Name.Length + 1) != 0)
                return -Errno.EFAULT;
            addr += entrySize;
        }
        return 0;
    }
}

/// <summary>A leaf whose contents are a byte array of <see cref="Size"/> bytes (strings include their NUL).</summary>
public class HypfsLeaf : HypfsNode
{
    protected byte[] Content;
    protected uint Length;

    public HypfsLeaf(string name, byte type, byte[] content) : base(name, type) => Set(content, (uint)content.Length);

    public override uint Size => Length;

    public override int Read(Vcpu v, ulong addr) => CopyOut(v, addr, Content, Length);

    protected void Set(byte[] content, uint length)
    {
        Content = content;
        Length = length;
    }

    /// <summary>A read-only string leaf (HYPFS_STRING_INIT): the text and its NUL.</summary>
    public static HypfsLeaf String(string name, string text) => new HypfsLeaf(name, HypfsAbi.TypeString, CString(text, text.Length + 1));

    /// <summary>A read-only 32-bit unsigned leaf (HYPFS_UINT_INIT).</summary>
    public static HypfsLeaf Uint(string name, uint value) =>
        new HypfsLeaf(name, HypfsAbi.TypeUint, new[] { (byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24) });

    /// <summary><paramref name="text"/> as bytes in a zeroed buffer of <paramref name="capacity"/> (at least text + NUL).</summary>
    public static byte[] CString(string text, int capacity)
    {
        var b = new byte[capacity > text.Length ? capacity : text.Length + 1];
        for (int i = 0; i < text.Length; i++) b[i] = (byte)text[i];
        return b;
    }
}

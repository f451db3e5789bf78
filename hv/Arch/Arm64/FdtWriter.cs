using System;

namespace XenLite.Hv.Arch.Arm64;

/// <summary>
/// Writes a flattened device tree (devicetree specification v0.4, version 17): nodes and
/// properties go into a structure block, property names into a deduplicated strings block, and
/// <see cref="Finish"/> lays out header, empty reservation map, structure and strings. Every
/// write checks capacity; an overflow is sticky and makes Finish fail, so callers check once.
/// </summary>
public sealed unsafe class FdtWriter
{
    public const uint Magic = 0xD00D_FEED;
    const uint TokenBegin = 1, TokenEnd = 2, TokenProp = 3, TokenFinish = 9;
    const int HeaderSize = 40, ReserveMapSize = 16;

    readonly byte[] _struct;
    readonly byte[] _strings;
    int _structLength, _stringsLength, _depth;
    public bool Overflowed { get; private set; }

    public FdtWriter(int structCapacity = 16384, int stringsCapacity = 2048)
    {
        _struct = new byte[structCapacity];
        _strings = new byte[stringsCapacity];
    }

    public void Begin(ReadOnlySpan<byte> name) => Begin(name, ulong.MaxValue);

    /// <summary>Opens a node named <paramref name="name"/>, with "@unit" in lowercase hex unless unit is ulong.MaxValue.</summary>
    public void Begin(ReadOnlySpan<byte> name, ulong unit)
    {
        Token(TokenBegin);
        for (int i = 0; i < name.Length; i++) Byte(name[i]);
        if (unit != ulong.MaxValue)
        {
            Byte((byte)'@');
            Hex(unit);
        }
        Byte(0);
        Align();
        _depth++;
    }

    public void End()
    {
        Token(TokenEnd);
        _depth--;
    }

    public void Property(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value) Property(name, p, value.Length, false);
    }

    /// <summary>A property from raw bytes, optionally NUL-terminated here (strings taken from elsewhere).</summary>
    public void Property(ReadOnlySpan<byte> name, byte* value, int length, bool addNul)
    {
        PropertyHeader(name, length + (addNul ? 1 : 0));
        for (int i = 0; i < length; i++) Byte(value[i]);
        if (addNul) Byte(0);
        Align();
    }

    /// <summary>A string property: the literal's bytes plus the terminating NUL.</summary>
    public void String(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value) Property(name, p, value.Length, true);
    }

    public void Empty(ReadOnlySpan<byte> name) => PropertyHeader(name, 0);

    public void U32(ReadOnlySpan<byte> name, uint value)
    {
        PropertyHeader(name, 4);
        Be32(value);
    }

    /// <summary>cells = the values as 32-bit big-endian words.</summary>
    public void Cells(ReadOnlySpan<byte> name, uint a, uint b, uint c)
    {
        PropertyHeader(name, 12);
        Be32(a); Be32(b); Be32(c);
    }

    /// <summary>A property of <paramref name="count"/> 32-bit big-endian cells (PCI ranges, bus-range).</summary>
    public void Cells(ReadOnlySpan<byte> name, uint* values, int count)
    {
        PropertyHeader(name, 4 * count);
        for (int i = 0; i < count; i++) Be32(values[i]);
    }

    /// <summary>reg = &lt;address size&gt; with two cells each (#address-cells = #size-cells = 2).</summary>
    public void Reg(ReadOnlySpan<byte> name, ulong address, ulong size)
    {
        PropertyHeader(name, 16);
        Be64(address); Be64(size);
    }

    /// <summary>A single 64-bit value as two cells (linux,initrd-start/end).</summary>
    public void Reg64(ReadOnlySpan<byte> name, ulong value)
    {
        PropertyHeader(name, 8);
        Be64(value);
    }

    /// <summary>reg with two ranges (GIC distributor + CPU interface / redistributors).</summary>
    public void Reg(ReadOnlySpan<byte> name, ulong a0, ulong s0, ulong a1, ulong s1)
    {
        PropertyHeader(name, 32);
        Be64(a0); Be64(s0); Be64(a1); Be64(s1);
    }

    /// <summary>Three-cell GIC interrupt specifiers, <paramref name="count"/> of them from the arrays.</summary>
    public void Interrupts(ReadOnlySpan<byte> name, uint* type, uint* number, uint* flags, int count)
    {
        PropertyHeader(name, 12 * count);
        for (int i = 0; i < count; i++) { Be32(type[i]); Be32(number[i]); Be32(flags[i]); }
    }

    /// <summary>Writes the blob; its length, or -1 when anything overflowed or nodes are unbalanced.</summary>
    public int Finish(byte* output, int capacity)
    {
        Token(TokenFinish);
        int structOffset = HeaderSize + ReserveMapSize;
        int stringsOffset = structOffset + _structLength;
        int total = stringsOffset + _stringsLength;
        if (Overflowed || _depth != 0 || total > capacity) return -1;
        for (int i = 0; i < structOffset; i++) output[i] = 0;
        PutBe32(output, 0, Magic);
        PutBe32(output, 4, (uint)total);
        PutBe32(output, 8, (uint)structOffset);
        PutBe32(output, 12, (uint)stringsOffset);
        PutBe32(output, 16, HeaderSize);
        PutBe32(output, 20, 17);
        PutBe32(output, 24, 16);
        PutBe32(output, 28, 0);
        PutBe32(output, 32, (uint)_stringsLength);
        PutBe32(output, 36, (uint)_structLength);
        for (int i = 0; i < _structLength; i++) output[structOffset + i] = _struct[i];
        for (int i = 0; i < _stringsLength; i++) output[stringsOffset + i] = _strings[i];
        return total;
    }

    void PropertyHeader(ReadOnlySpan<byte> name, int length)
    {
        Token(TokenProp);
        Be32((uint)length);
        Be32((uint)NameOffset(name));
    }

    /// <summary>Offset of the name in the strings block, adding it the first time.</summary>
    int NameOffset(ReadOnlySpan<byte> name)
    {
        for (int start = 0; start < _stringsLength;)
        {
            int end = start;
            while (_strings[end] != 0) end++;
            if (end - start == name.Length && Same(start, name)) return start;
            start = end + 1;
        }
        if (_stringsLength + name.Length + 1 > _strings.Length)
        {
            Overflowed = true;
            return 0;
        }
        int at = _stringsLength;
        for (int i = 0; i < name.Length; i++) _strings[_stringsLength++] = name[i];
        _strings[_stringsLength++] = 0;
        return at;
    }

    bool Same(int start, ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < name.Length; i++)
            if (_strings[start + i] != name[i]) return false;
        return true;
    }

    void Hex(ulong v)
    {
        int shift = 60;
        while (shift > 0 && (v >> shift) == 0) shift -= 4;
        for (; shift >= 0; shift -= 4)
        {
            int d = (int)((v >> shift) & 0xF);
            Byte((byte)(d < 10 ? '0' + d : 'a' + d - 10));
        }
    }

    void Token(uint t) => Be32(t);

    void Be64(ulong v)
    {
        Be32((uint)(v >> 32));
        Be32((uint)v);
    }

    void Be32(uint v)
    {
        Byte((byte)(v >> 24)); Byte((byte)(v >> 16)); Byte((byte)(v >> 8)); Byte((byte)v);
    }

    void Align()
    {
        while ((_structLength & 3) != 0) Byte(0);
    }

    void Byte(byte b)
    {
        if (_structLength >= _struct.Length)
        {
            Overflowed = true;
            return;
        }
        _struct[_structLength++] = b;
    }

    static void PutBe32(byte* p, int offset, uint v)
    {
        p[offset] = (byte)(v >> 24);
        p[offset + 1] = (byte)(v >> 16);
        p[offset + 2] = (byte)(v >> 8);
        p[offset + 3] = (byte)v;
    }
}

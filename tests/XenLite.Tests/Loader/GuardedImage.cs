using System;
using System.Runtime.InteropServices;

namespace XenLite.Tests.Loader;

/// <summary>
/// Holds an image so that it ends exactly where an inaccessible page begins (Linux: mmap +
/// mprotect): a loader read past the end of the image crashes the test run instead of passing
/// unnoticed. Elsewhere it falls back to plain unmanaged memory.
/// </summary>
public sealed unsafe class GuardedImage : IDisposable
{
    const int ProtNone = 0, ProtRead = 1, ProtWrite = 2, MapPrivate = 2, MapAnonymous = 0x20;
    const int PageSize = 4096;

    [DllImport("libc", SetLastError = true)] static extern IntPtr mmap(IntPtr addr, UIntPtr length, int prot, int flags, int fd, IntPtr offset);
    [DllImport("libc", SetLastError = true)] static extern int mprotect(IntPtr addr, UIntPtr length, int prot);
    [DllImport("libc", SetLastError = true)] static extern int munmap(IntPtr addr, UIntPtr length);

    readonly byte* _base;
    readonly ulong _capacity, _mapped;
    readonly bool _mmapped;

    public byte* Pointer { get; private set; }
    public ulong Length { get; private set; }

    public GuardedImage(int capacity)
    {
        _capacity = (ulong)((capacity + PageSize - 1) / PageSize * PageSize);
        _mapped = _capacity + PageSize;
        if (OperatingSystem.IsLinux())
        {
            var p = mmap(IntPtr.Zero, (UIntPtr)_mapped, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, IntPtr.Zero);
            if (p == new IntPtr(-1)) throw new InvalidOperationException("mmap failed");
            if (mprotect(p + (nint)_capacity, PageSize, ProtNone) != 0) throw new InvalidOperationException("mprotect failed");
            _base = (byte*)p;
            _mmapped = true;
        }
        else
        {
            _base = (byte*)NativeMemory.Alloc((nuint)_mapped);
        }
    }

    public GuardedImage(byte[] image) : this(Math.Max(image.Length, 1)) => Set(image);

    /// <summary>Places <paramref name="image"/> so its last byte is the last accessible one.</summary>
    public void Set(ReadOnlySpan<byte> image)
    {
        if ((ulong)image.Length > _capacity) throw new ArgumentException("image larger than the buffer");
        Pointer = _base + _capacity - (ulong)image.Length;
        Length = (ulong)image.Length;
        image.CopyTo(new Span<byte>(Pointer, image.Length));
    }

    public void Dispose()
    {
        if (_mmapped) munmap((IntPtr)_base, (UIntPtr)_mapped);
        else NativeMemory.Free(_base);
    }
}

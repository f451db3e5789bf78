namespace XenLite.Hv.Common.PlatformOp;

/// <summary>
/// The one physical CPU XenLite runs on, as platform_op and mca report it. The arch boot code
/// fills it from CPUID before the first guest runs; the defaults describe QEMU's default x86 CPU.
/// </summary>
public static class PhysicalCpu
{
    /// <summary>CPUID leaf 0 vendor string (12 bytes).</summary>
    public static readonly byte[] VendorId = { (byte)'A', (byte)'u', (byte)'t', (byte)'h', (byte)'e', (byte)'n', (byte)'t', (byte)'i', (byte)'c', (byte)'A', (byte)'M', (byte)'D' };
    public static uint Family = 15;
    public static uint Model = 107;
    public static uint Stepping = 1;
    /// <summary>CPUID.1.EAX, and the microcode revision (0: none reported).</summary>
    public static uint Signature = 0x00060FB1;
    public static uint MicrocodeRevision;
    public static uint ApicId;
    public static uint AcpiId;
}

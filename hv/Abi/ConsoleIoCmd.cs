namespace XenLite.Hv.Abi;

/// <summary>console_io commands (public xen.h, CONSOLEIO_*).</summary>
public static class ConsoleIoCmd
{
    public const int Write = 0;
    public const int Read = 1;
}

namespace XenLite.Hv.Common;

/// <summary>What xen_version reports about this build and boot.</summary>
public sealed class BuildInfo
{
    public const int Major = 4;
    public const int Minor = 22;

    public string ExtraVersion = ".0-xenlite";
    public string Compiler = "NativeAOT ILC 10.0.12";
    public string CompileBy = "xenlite";
    public string CompileDomain = "xenlite.dev";
    public string CompileDate = "2026-11-26";
    public string Changeset = "unavailable";
    /// <summary>The hypervisor command line as booted.</summary>
    public string CommandLine = "";
    /// <summary>The build id (GNU build-id note of the image); empty when none.</summary>
    public byte[] BuildId = new byte[0];
}

using System.Collections.Generic;
using XenLite.Hv.Dispatch;

namespace XenLite.ImageBuilder.Plugins;

/// <summary>
/// What one plugin assembly contributes, as read from its metadata: its name in configs, the
/// routing rows it owns (a <see cref="Feature"/>), its entry class and which of the contract's
/// members that class has. <see cref="Problems"/> lists every way it breaks the contract.
/// </summary>
public sealed class PluginInfo
{
    public string AssemblyPath { get; init; }
    /// <summary>The plugin's source directory (compiled into the image), or null when unknown.</summary>
    public string SourceDirectory { get; init; }
    public string Name { get; set; }
    public Feature Rows { get; set; }
    /// <summary>The entry class, namespace-qualified ("XenLite.Plugin.Argo.ArgoPlugin").</summary>
    public string EntryType { get; set; }
    /// <summary>`public static void Init(Hypervisor)` exists: called at boot.</summary>
    public bool HasInit { get; set; }
    /// <summary>`public static byte* BootPolicy; public static ulong BootPolicySize;`: an XSM module fed the embedded policy.</summary>
    public bool TakesBootPolicy { get; set; }
    public List<string> Problems { get; } = new();

    public bool IsValid => Problems.Count == 0 && EntryType != null;

    /// <summary>"argo_op rows (Feature.Argo)" or "no routing rows".</summary>
    public string RowsText => Rows == Feature.Core ? "no routing rows" : $"the rows of Feature.{Rows}";
}

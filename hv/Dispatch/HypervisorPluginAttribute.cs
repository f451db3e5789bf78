using System;

namespace XenLite.Hv.Dispatch;

/// <summary>
/// Marks a plugin's entry class. The image builder finds it in the plugin assembly's
/// metadata (never by reflection at run time) and generates calls to its members:
///   public static void Register(HandlerRegistry r)   — required: adds the plugin's handlers;
///   public static void Init(Hypervisor hv)           — optional: boot-time set-up.
/// <see cref="Rows"/> names the routing rows the plugin brings; they exist only when it is built in.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class HypervisorPluginAttribute : Attribute
{
    public HypervisorPluginAttribute(string name, Feature rows)
    {
        Name = name;
        Rows = rows;
    }

    /// <summary>The plugin's name in image configs (`plugins.&lt;name&gt;`).</summary>
    public string Name { get; }

    /// <summary>The routing-table feature whose rows this plugin owns (Feature.Core for none, e.g. Flask).</summary>
    public Feature Rows { get; }
}

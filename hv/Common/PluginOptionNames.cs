namespace XenLite.Hv.Common;

/// <summary>
/// Boot options the plugins read for themselves (Xen's argo=, flask=, crashkernel=,
/// conswitch=): the core's parsers accept them silently instead of calling them unknown.
/// </summary>
public static class PluginOptionNames
{
    public static readonly string[] All = { "argo", "flask", "crashkernel", "conswitch" };
}

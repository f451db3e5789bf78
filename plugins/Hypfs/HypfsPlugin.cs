using XenLite.Hv.Common;
using XenLite.Hv.Dispatch;
using N = XenLite.Hv.Abi.HypercallNumber;
using V = XenLite.Hv.Dispatch.Variant;

namespace XenLite.Plugin.Hypfs;

/// <summary>The hypervisor file system (hypfs_op, public/hypfs.h): build info and runtime parameters as a tree.</summary>
[HypervisorPlugin("hypfs", Feature.Hypfs)]
public static unsafe class HypfsPlugin
{
    public static void Register(HandlerRegistry r) => r.Add(N.HypfsOp, V.Do, &HypfsOp.Handle);

    /// <summary>Builds the tree from the build info and the command line's runtime parameters.</summary>
    public static void Init(Hypervisor hv) => HypfsState.Of(hv);
}

using System.Collections.Generic;

namespace XenLite.ImageBuilder.Config;

/// <summary>An image config bound to types (plugins are read separately: each is `true`/`false` or an object).</summary>
public sealed class ImageOptions
{
    /// <summary>The image's name (default output images/out/&lt;name&gt;-&lt;arch&gt;.elf); null = the config file's name.</summary>
    public string Name { get; set; }
    public string Description { get; set; }
    /// <summary>x86_64 or arm64.</summary>
    public string Arch { get; set; } = "x86_64";
    public HypervisorOptions Hypervisor { get; set; } = new();
    public List<GuestOptions> Guests { get; set; } = new();
    public BootPolicyOptions BootPolicy { get; set; } = new();
}

/// <summary>Hypervisor command-line defaults, embedded in the image; the boot loader's command line is appended (so it wins).</summary>
public sealed class HypervisorOptions
{
    public string Cmdline { get; set; }
    /// <summary>com1 (x86_64), dtuart (arm64) or none; null = the arch's serial port.</summary>
    public string Console { get; set; }
}

/// <summary>One guest: embedded in the image, or loaded at boot (the initial domain given with -initrd).</summary>
public sealed class GuestOptions
{
    public string Label { get; set; }
    /// <summary>The kernel file, relative to the config file.</summary>
    public string Image { get; set; }
    /// <summary>pvh or pv (x86_64), arm (arm64); null = the arch's default.</summary>
    public string Kind { get; set; }
    /// <summary>RAM in MiB; 0 = the hypervisor's default.</summary>
    public int Memory { get; set; }
    /// <summary>Static placement (checked: alignment, overlap); null = the hypervisor chooses.</summary>
    public string MemoryBase { get; set; }
    public int Vcpus { get; set; } = 1;
    public string Cmdline { get; set; }
    /// <summary>Null = privileged when it is the first guest on x86_64 (domain 0), else false.</summary>
    public bool? Privileged { get; set; }
    public bool Embedded { get; set; } = true;
}

/// <summary>The Flask policy the image boots with: a policy script (compiled here) or a compiled blob.</summary>
public sealed class BootPolicyOptions
{
    public string File { get; set; }
}

/// <summary>One `plugins.&lt;name&gt;` entry.</summary>
public sealed record PluginChoice(string Name, bool Enabled, IReadOnlyList<KeyValuePair<string, string>> Options);

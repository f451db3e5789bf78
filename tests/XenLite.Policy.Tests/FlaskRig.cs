using System;
using System.Runtime.InteropServices;
using System.Text;
using XenLite.Flask;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;

namespace XenLite.Policy.Tests;

/// <summary>A hosted hypervisor whose XSM module is Flask with a compiled shipped policy.</summary>
public sealed unsafe class FlaskRig : IDisposable
{
    sealed class Machine : Platform
    {
        public readonly StringBuilder Console = new();
        public ulong Now;
        public override ulong NowNs() => Now;
        public override void ConsoleWrite(byte b) => Console.Append((char)b);
        public override bool PreemptPending() => false;
        public override void PowerOff(int status) { }
    }

    const ulong Pages = 256;
    readonly byte[] _ram = new byte[Pages * 4096];
    readonly GCHandle _pin;
    readonly Machine _platform = new();
    public readonly Hypervisor Hv;
    public readonly FlaskXsm Xsm;
    public readonly FlaskPolicy Policy;

    public static readonly byte[] DefaultBlob = Compiler.Compile(PolicyFiles.Shipped("default.js")).Blob;

    public FlaskRig(byte[] blob = null, bool enforcing = true)
    {
        Assert(PolicyReader.Read(blob ?? DefaultBlob, out Policy) == 0, "policy did not load");
        Xsm = new FlaskXsm(Policy, enforcing);
        _pin = GCHandle.Alloc(_ram, GCHandleType.Pinned);
        var memory = new MachineMemory((byte*)_pin.AddrOfPinnedObject(), 0x100, Pages);
        Hv = new Hypervisor(_platform, memory, new HandlerRegistry(), new BuildInfo(), Xsm);
    }

    public string Console => _platform.Console.ToString();
    public ulong Now { get => _platform.Now; set => _platform.Now = value; }

    /// <summary>A domain of a policy type: built at boot (xenboot_t creates it) or, when
    /// <paramref name="creator"/> is given, created by that domain (Hypervisor.CreateDomain asks
    /// the domain_create hook either way).</summary>
    public Domain Domain(uint id, string type, Domain creator = null)
    {
        var d = Hv.CreateDomain(new DomainConfig
        {
            Id = id, Mode = GuestMode.Hvm64, Vcpus = 1, Pages = 1, Privileged = type == "dom0_t", Ssidref = Sid(type), Creator = creator,
        });
        Assert(d != null, $"creating domain {id} as {type} failed");
        return d;
    }

    public uint Sid(string type)
    {
        uint sid = Policy.TypeSid(Encoding.UTF8.GetBytes(type));
        Assert(sid != 0, "no type " + type);
        return sid;
    }

    static void Assert(bool ok, string message)
    {
        if (!ok) throw new InvalidOperationException(message);
    }

    public void Dispose() => _pin.Free();
}

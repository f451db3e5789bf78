using System;
using System.Text;
using XenLite.Flask;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;

namespace XenLite.Policy.Tests.XsmOp;

/// <summary>
/// A hosted machine with the Flask plugin built in and started from a boot policy (the default
/// one unless told otherwise): dom0 (id 0) and an unprivileged domU (id 1) built at boot, and
/// the guest side of xsm_op: the op struct at <see cref="OpGpa"/>, strings at <see cref="BufGpa"/>.
/// </summary>
public sealed class FlaskOpRig : IDisposable
{
    public const ulong OpGpa = 0x1000;
    public const ulong BufGpa = 0x2000;
    /// <summary>Where a policy blob to load is put (the domains have 512 KiB of RAM).</summary>
    public const ulong BlobGpa = 0x10000;
    /// <summary>An address beyond every domain's RAM.</summary>
    public const ulong Hole = 0x4000_0000;

    public readonly TestMachine M;
    public readonly FlaskXsm Xsm;
    public readonly Domain Dom0;
    public readonly Domain DomU;

    public FlaskOpRig(string commandLine = "flask=enforcing", byte[] bootPolicy = null, GuestMode mode = GuestMode.Hvm64)
    {
        M = new TestMachine(FlaskPlugin.Register);
        M.Hv.Build.CommandLine = commandLine;
        Xsm = FlaskPlugin.Start(M.Hv, FlaskBootParam.FromCommandLine(commandLine), bootPolicy ?? FlaskRig.DefaultBlob);
        Dom0 = M.NewDomain(mode, 0, pages: 128);
        DomU = M.NewDomain(mode, 1, pages: 128, privileged: false);
    }

    public void Dispose() => M.Dispose();

    public FlaskPolicy Policy => Xsm.Policy;

    public uint Sid(string type)
    {
        uint sid = Xsm.Policy.TypeSid(Encoding.ASCII.GetBytes(type));
        if (sid == 0) throw new InvalidOperationException("no type " + type);
        return sid;
    }

    public string TypeOf(Domain d) => Encoding.ASCII.GetString(Xsm.Policy.TypeName(Xsm.DomainSid(d)));

    public static FlaskOp New(uint cmd) => new() { Cmd = cmd, InterfaceVersion = FlaskOpAbi.InterfaceVersion };

    public static ulong G(Domain d, ulong gpa) => TestMachine.GuestAddr(d, gpa);

    /// <summary>Issues xsm_op from d with <paramref name="op"/> at <see cref="OpGpa"/>.</summary>
    public long Op(Domain d, FlaskOp op)
    {
        M.PokeStruct(d, OpGpa, op);
        return M.Call(d.Vcpus[0], HypercallNumber.XsmOp, G(d, OpGpa));
    }

    public long Op(Domain d, FlaskOpCompat op)
    {
        M.PokeStruct(d, OpGpa, op);
        return M.Call(d.Vcpus[0], HypercallNumber.XsmOp, G(d, OpGpa));
    }

    /// <summary>The op struct as the hypervisor left it.</summary>
    public FlaskOp Back(Domain d) => M.PeekStruct<FlaskOp>(d, OpGpa);

    public FlaskOpCompat BackCompat(Domain d) => M.PeekStruct<FlaskOpCompat>(d, OpGpa);

    /// <summary>Puts a string (no NUL unless included) at <see cref="BufGpa"/>; returns its guest address.</summary>
    public ulong PutString(Domain d, string s)
    {
        M.Poke(d, BufGpa, Encoding.ASCII.GetBytes(s));
        return G(d, BufGpa);
    }

    public string GetString(Domain d, int length) => Encoding.ASCII.GetString(M.Peek(d, BufGpa, length));

    public long GetEnforce(Domain d) => Op(d, New(FlaskOpAbi.GetEnforce));

    public long SetEnforce(Domain d, uint value)
    {
        var op = New(FlaskOpAbi.SetEnforce);
        op.Enforcing = value;
        return Op(d, op);
    }

    /// <summary>FLASK_CONTEXT_TO_SID with the string and its size as given.</summary>
    public long ContextToSid(Domain d, string context, uint? size = null)
    {
        var op = New(FlaskOpAbi.ContextToSid);
        op.SidContextContext = PutString(d, context);
        op.SidContextSize = size ?? (uint)context.Length;
        return Op(d, op);
    }

    /// <summary>FLASK_SETBOOL by index.</summary>
    public long SetBool(Domain d, int id, bool value, bool commit)
    {
        var op = New(FlaskOpAbi.SetBool);
        op.BoolId = (uint)id;
        op.BoolNewValue = (byte)(value ? 1 : 0);
        op.BoolCommit = (byte)(commit ? 1 : 0);
        return Op(d, op);
    }

    public long Ocontext(Domain d, uint cmd, uint ocon, ulong low, ulong high, uint sid = 0)
    {
        var op = New(cmd);
        op.Ocon = ocon;
        op.OconSid = sid;
        op.OconLow = low;
        op.OconHigh = high;
        return Op(d, op);
    }

    /// <summary>console_io write of one byte from d: allowed or refused by xen:writeconsole.</summary>
    public long WriteConsole(Domain d)
    {
        M.Poke(d, BufGpa, "x"u8);
        return M.Call(d.Vcpus[0], HypercallNumber.ConsoleIo, (ulong)ConsoleIoCmd.Write, 1, G(d, BufGpa));
    }
}

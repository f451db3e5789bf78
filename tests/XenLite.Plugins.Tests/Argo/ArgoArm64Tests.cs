using System;
using System.Runtime.InteropServices;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.Arm64;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Hv.Dispatch;
using XenLite.Plugin.Argo;
using XenLite.Tests.Arch.Arm64;

namespace XenLite.Plugins.Tests.Argo;

/// <summary>
/// Argo under the arm64 hypervisor, as the arm64 image runs it (the agent's argo=1 exchange):
/// the boot's command line reaches the argo= option, argo_op is reached through HVC #0xEA1 with
/// x16/x0–x4, and VIRQ_ARGO reaches an arm guest as the event-channel PPI (31) in a list register.
/// </summary>
[Category("argo_op")]
[Category("arm64")]
public unsafe class ArgoArm64Tests
{
    const ulong Ram = GuestLayout.RamBase;
    const ulong ArgGpa = Ram + 0x10_0000, ListGpa = Ram + 0x10_1000, IovGpa = Ram + 0x10_2000, DataGpa = Ram + 0x10_3000;
    const ulong RingGfn = (Ram >> 12) + 0x110;
    const uint Len = 4096 - 64;

    sealed class Platform : Arm64Platform
    {
        public readonly StringBuilder Console = new();
        public FakeArm64Cpu Cpu;
        public override ulong NowNs() => Cpu.Count * 16;
        public override void ConsoleWrite(byte b) => Console.Append((char)b);
        public override bool PreemptPending() => false;
    }

    [TestCase("console=dtuart loglvl=all argo=1", 0L)]
    [TestCase("console=dtuart loglvl=all", -(long)Errno.EOPNOTSUPP)]
    [TestCase("console=dtuart argo=1 no-argo", -(long)Errno.EOPNOTSUPP)]
    public void TheArm64BootCommandLineDecidesWhetherArgoOpAnswers(string commandLine, long expected)
    {
        using var specs = new Arm64Bed(ramPages: 1024);   // pins the guest spec's bytes
        var cpu = new FakeArm64Cpu();
        var platform = new Platform { Cpu = cpu };
        byte[] ram = new byte[24 << 20];
        var pin = GCHandle.Alloc(ram, GCHandleType.Pinned);
        try
        {
            var memory = new MachineMemory((byte*)pin.AddrOfPinnedObject(), 0x4_0000, (ulong)ram.Length / 4096);
            // dom0's first instruction: argo_op(XEN_ARGO_OP_notify, NULL); the next one reports x0 and powers off.
            long seen = long.MinValue;
            cpu.Steps.Enqueue((r, c) =>
            {
                c->Esr = Arm64Bed.Hvc(0xEA1);
                r->Gpr[16] = HypercallNumber.ArgoOp;
                r->Gpr[0] = ArgoAbi.OpNotify;
                for (int i = 1; i <= 4; i++) r->Gpr[i] = 0;
            });
            cpu.Steps.Enqueue((r, c) => { seen = (long)r->Gpr[0]; c->Esr = Arm64Bed.Hvc(0); r->Gpr[0] = Psci.SystemOff; });
            byte[] args = Encoding.ASCII.GetBytes(commandLine);
            int status;
            fixed (byte* a = args)
                status = Arm64Boot.Run(platform, cpu, memory, commandLine, a, args.Length, Arm64Bed.Irqs, specs.Spec("initrd", Arm64Bed.Image(), memoryKiB: 8192),
                    null, new Arm64Counters(), &Register, &ArgoPlugin.Init);
            Assert.That(status, Is.Zero, platform.Console.ToString());
            Assert.That(platform.Console.ToString(), Does.Contain("(XEN) Plugin hypercalls: argo_op"));
            Assert.That(seen, Is.EqualTo(expected), platform.Console.ToString());
        }
        finally
        {
            pin.Free();
        }
    }

    static void Register(HandlerRegistry r)
    {
        r.Enable(Feature.Argo);
        ArgoPlugin.Register(r);
    }

    static long Hvc(Arm64Bed bed, Vcpu v, int number, ulong x0, ulong x1 = 0, ulong x2 = 0, ulong x3 = 0, ulong x4 = 0)
    {
        v.Regs[16] = (ulong)number;
        v.Regs[0] = x0; v.Regs[1] = x1; v.Regs[2] = x2; v.Regs[3] = x3; v.Regs[4] = x4;
        Assert.That(bed.Exit(v, Arm64Bed.Hvc(0xEA1)), Is.EqualTo(Arm64ExitResult.Resume));
        return (long)v.Regs[0];
    }

    // The guest enables the event-channel PPI at its GICv3 distributor and redistributor.
    static void EnablePpi31(Arm64Bed bed, Vcpu v)
    {
        v.Regs[1] = 0x12;
        bed.Exit(v, Arm64Bed.DataAbort(rt: 1, write: true), ipa: GuestLayout.GicdBase);
        v.Regs[1] = 1u << (int)GuestLayout.EvtchnPpi;
        bed.Exit(v, Arm64Bed.DataAbort(rt: 1, write: true), ipa: GuestLayout.Gicv3GicrBase + 0x10100);
    }

    [Test]
    public void ASendvRaisesVirqArgoInTheArmReceiverAsTheEventPpi()
    {
        using var bed = new Arm64Bed(plugins: ArgoPlugin.Register, features: Feature.Argo);
        bed.Hv.Build.CommandLine = "console=dtuart argo=1";
        ArgoPlugin.Init(bed.Hv);
        Domain d0 = bed.NewDomain(0, privileged: true), d1 = bed.NewDomain(1);
        Vcpu v0 = d0.Vcpus[0], v1 = d1.Vcpus[0];
        EnablePpi31(bed, v0);

        bed.M.PokeStruct(d0, ArgGpa, new EvtchnBindVirq { Virq = Virq.Argo });
        Assert.That(Hvc(bed, v0, HypercallNumber.EventChannelOp, EvtchnOpCmd.BindVirq, ArgGpa), Is.Zero, "EVTCHNOP_bind_virq(VIRQ_ARGO)");
        uint port = bed.M.PeekStruct<EvtchnBindVirq>(d0, ArgGpa).Port;

        bed.M.PokeStruct(d0, ArgGpa, new ArgoRegisterRing { Aport = 0xA0, PartnerId = 1, Len = Len });
        bed.M.PokeStruct(d0, ListGpa, RingGfn);
        Assert.That(Hvc(bed, v0, HypercallNumber.ArgoOp, ArgoAbi.OpRegisterRing, ArgGpa, ListGpa, 1), Is.Zero, "register_ring in dom0");
        bed.Exit(v0, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0], Is.Zero, "nothing pending for dom0 yet");

        byte[] text = Encoding.ASCII.GetBytes("hello from an arm domU");
        bed.M.Poke(d1, DataGpa, text);
        bed.M.PokeStruct(d1, IovGpa, new ArgoIov { Handle = DataGpa, Len = (uint)text.Length });
        bed.M.PokeStruct(d1, ArgGpa, new ArgoSendAddr { Src = new ArgoAddr { Aport = 0xA0, DomainId = 0x7FF4 }, Dst = new ArgoAddr { Aport = 0xA0, DomainId = 0 } });
        Assert.That(Hvc(bed, v1, HypercallNumber.ArgoOp, ArgoAbi.OpSendv, ArgGpa, IovGpa, 1, 2), Is.EqualTo(text.Length), "sendv from the domU");

        Assert.That(d0.Events.IsPending(port), Is.True, "VIRQ_ARGO's port pending in dom0");
        bed.Exit(v0, Arm64Bed.Wfe);
        Assert.That(bed.Cpu.LastEntryLr[0] & 0x3FF, Is.EqualTo((ulong)GuestLayout.EvtchnPpi), "dom0 entered with the event PPI in a list register");
        byte[] message = bed.M.Peek(d0, (RingGfn << 12) + 64, 16 + text.Length);
        Assert.That(Encoding.ASCII.GetString(message, 16, text.Length), Is.EqualTo("hello from an arm domU"));
        Assert.That(BitConverter.ToUInt16(message, 8), Is.EqualTo(1), "the source domain Xen filled in");
    }
}

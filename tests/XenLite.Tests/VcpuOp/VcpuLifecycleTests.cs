using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.Harness;
using static XenLite.Tests.VcpuOp.VcpuOpRig;

namespace XenLite.Tests.VcpuOp;

[Category("vcpu_op")]
public class VcpuLifecycleTests
{
    [TestCase(GuestMode.Pv32)]
    [TestCase(GuestMode.Pv64)]
    [TestCase(GuestMode.Hvm32)]
    [TestCase(GuestMode.Hvm64)]
    public void IsUpAndBadVcpu(GuestMode mode)
    {
        using var m = new TestMachine();
        var d = m.NewDomain(mode, vcpus: 2);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.IsUp, 0), Is.EqualTo(1));
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.IsUp, 1), Is.Zero);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.IsUp, 2), Is.EqualTo(-Errno.ENOENT));
        Assert.That(m.VcpuOp(d.Vcpus[0], 16, 0), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void UpNeedsAContext()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, vcpus: 2);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Up, 1), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, LongMode(0x10_0000)), Is.Zero);
        Assert.That(d.Vcpus[1].IsUp, Is.False, "initialise leaves the vCPU down");
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Up, 1), Is.Zero);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.IsUp, 1), Is.EqualTo(1));
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Up, 1), Is.Zero, "already up");
    }

    [Test]
    public void InitialiseLoadsTheLongModeContext()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, vcpus: 2);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, LongMode(0xFFFF_FFFF_8100_0000)), Is.Zero);
        var v = d.Vcpus[1];
        Assert.That((v.Regs.Ip, v.Regs[X86Reg.Rsp], v.Regs[X86Reg.Rbx], v.Regs.Flags), Is.EqualTo((0xFFFF_FFFF_8100_0000UL, 0x8000UL, 7UL, 0x202UL)));
        var s = v.VcpuOp.Hvm;
        Assert.That((s.Cr0, s.Cr3, s.Cr4, s.Efer), Is.EqualTo((0x8000_0011UL, 0x1000UL, 0x20UL, 0x500UL)));
        Assert.That((s.Cs.Attr, s.Ds.Attr, s.Tr.Attr, s.Tr.Limit), Is.EqualTo(((ushort)0xA9B, (ushort)0xC93, (ushort)0x8B, 0x67u)));
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, LongMode(0x1000)), Is.EqualTo(-Errno.EEXIST));
    }

    [Test]
    public void InitialiseLoadsAFlat32BitContext()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm32, vcpus: 2);
        var ctx = new VcpuHvmContext
        {
            Mode = VcpuHvmContext.Mode32,
            X86_32 = new VcpuHvmX86_32
            {
                Eip = 0x10_0000, Esp = 0x9000, Eflags = 2, Cr0 = 1,
                CsLimit = 0xFFFFF, CsAr = 0xC9B, DsLimit = 0xFFFFF, DsAr = 0xC93, SsLimit = 0xFFFFF, SsAr = 0xC93,
                EsLimit = 0xFFFFF, EsAr = 0xC93, TrLimit = 0x67, TrAr = 0x8B,
            },
        };
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, ctx), Is.Zero);
        Assert.That((d.Vcpus[1].Regs.Ip, d.Vcpus[1].Regs[X86Reg.Rsp]), Is.EqualTo((0x10_0000UL, 0x9000UL)));
        Assert.That(d.Vcpus[1].VcpuOp.Hvm.Cs.Attr, Is.EqualTo((ushort)0xC9B));
    }

    [Test]
    public void InitialiseRefusals()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Hvm64, vcpus: 2);
        var bad = LongMode(0x1000);
        bad.Mode = 2;
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, bad), Is.EqualTo(-Errno.EINVAL), "mode");
        bad = LongMode(0x1000); bad.X86_64.Cr0 = 1;
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, bad), Is.EqualTo(-Errno.EINVAL), "long mode without paging");
        bad = LongMode(0x0000_8000_0000_0000);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, bad), Is.EqualTo(-Errno.EINVAL), "non-canonical rip");
        bad = LongMode(0x1000); bad.Pad = 1;
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, bad), Is.EqualTo(-Errno.EINVAL), "padding");
        var flat = new VcpuHvmContext { Mode = VcpuHvmContext.Mode32, X86_32 = new VcpuHvmX86_32 { CsAr = 0xC93, SsAr = 0xC93, TrAr = 0x8B } };
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, flat), Is.EqualTo(-Errno.EINVAL), "a data segment in CS");
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, 0x7FFF_0000UL), Is.EqualTo(-Errno.EFAULT));
        Assert.That(d.Vcpus[1].VcpuOp.Initialised, Is.False);
    }

    [Test]
    public void PvInitialiseIsNotImplemented()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, vcpus: 2);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, ArgGpa), Is.EqualTo(-Errno.ENOSYS));
    }

    [Test]
    public void DownTakesAVcpuOfflineAndTheLastOneShutsTheDomainDown()
    {
        using var m = new TestMachine();
        m.NewDomain(GuestMode.Hvm64);
        var d = m.NewDomain(GuestMode.Hvm64, id: 1, vcpus: 2);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Initialise, 1, LongMode(0x1000)), Is.Zero);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Up, 1), Is.Zero);
        Assert.That(m.VcpuOp(d.Vcpus[1], VcpuOpCmd.Down, 1), Is.Zero);
        Assert.That(d.Vcpus[1].IsUp, Is.False);
        Assert.That(d.IsShutdown, Is.False);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.Down, 0), Is.Zero);
        Assert.That(d.IsShutdown, Is.True);
        Assert.That(d.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Poweroff));
    }

    [Test]
    public void SendNmi()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Pv64, vcpus: 2);
        var arm = m.NewDomain(GuestMode.Arm, id: 1);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.SendNmi, 1, 0x1234), Is.EqualTo(-Errno.EINVAL), "the argument must be NULL");
        d.Vcpus[1].Blocked = true;
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.SendNmi, 1), Is.Zero);
        Assert.That(d.Vcpus[1].VcpuOp.NmiPending, Is.True);
        Assert.That(d.Vcpus[1].Blocked, Is.False);
        Assert.That(m.VcpuOp(arm.Vcpus[0], VcpuOpCmd.SendNmi, 0), Is.EqualTo(-Errno.EINVAL), "arm has only two vcpu_ops");
    }

    [Test]
    public void GetPhysidOnlyForAPinnedHardwareDomain()
    {
        using var plain = new TestMachine();
        var d = plain.NewDomain(GuestMode.Pv64);
        Assert.That(plain.VcpuOp(d.Vcpus[0], VcpuOpCmd.GetPhysid, 0, ArgGpa), Is.EqualTo(-Errno.EINVAL));

        using var m = new TestMachine();
        m.Hv.Build.CommandLine = "console=com1 dom0_vcpus_pin loglvl=all";
        var d0 = m.NewDomain(GuestMode.Pv64, vcpus: 2);
        var d1 = m.NewDomain(GuestMode.Pv64, id: 1);
        Assert.That(m.VcpuOp(d0.Vcpus[0], VcpuOpCmd.GetPhysid, 1, new VcpuGetPhysid()), Is.Zero);
        Assert.That(m.PeekStruct<VcpuGetPhysid>(d0, ArgGpa).PhysId, Is.EqualTo(1UL | (1UL << 32)));
        Assert.That(m.VcpuOp(d1.Vcpus[0], VcpuOpCmd.GetPhysid, 0, new VcpuGetPhysid()), Is.EqualTo(-Errno.EINVAL), "not the hardware domain");
    }

    [Test]
    public void ArmHasOnlyTheAreaRegistrations()
    {
        using var m = new TestMachine();
        var d = m.NewDomain(GuestMode.Arm);
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.IsUp, 0), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.SetSingleshotTimer, 0, ArgGpa), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.IsUp, 3), Is.EqualTo(-Errno.ENOENT), "the vCPU is checked first");
        Assert.That(m.VcpuOp(d.Vcpus[0], VcpuOpCmd.RegisterRunstateMemoryArea, 0, new VcpuRegisterMemoryArea { Addr = 0x3000 }), Is.Zero);
    }
}

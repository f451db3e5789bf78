using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Tests.MemoryOp;

namespace XenLite.Tests.Domctl;

/// <summary>max_vcpus, getvcpuinfo, set/getvcpuaffinity, set/getvcpucontext and scheduler_op.</summary>
[Category("domctl")]
public unsafe class VcpuDomctlTests : OwnershipCheckedTest
{
    [Test]
    public void MaxVcpusMustMatchCreation()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1, vcpus: 2);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.MaxVcpus, 1, DomctlRig.With(new DomctlMaxVcpus { Max = 2 })), Is.Zero);
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.MaxVcpus, 1, DomctlRig.With(new DomctlMaxVcpus { Max = 3 })), Is.EqualTo(-Errno.EINVAL));
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.MaxVcpus, 0, DomctlRig.With(new DomctlMaxVcpus { Max = 1 })), Is.EqualTo(-Errno.EINVAL), "not oneself");
        Assert.That(u.Vcpus.Length, Is.EqualTo(2));
    }

    [Test]
    public void GetVcpuInfoReportsOnlineBlockedAndTime()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1, vcpus: 2);
        u.Vcpus[0].Blocked = true;
        var v = d0.Vcpus[0];
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuInfo, 1, DomctlRig.With(new DomctlGetVcpuInfo { Vcpu = 0 })), Is.Zero);
        var info = m.Union<DomctlGetVcpuInfo>(v);
        Assert.That((info.Online, info.Blocked, info.Running, info.Cpu), Is.EqualTo(((byte)1, (byte)1, (byte)0, 0u)));
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuInfo, 1, DomctlRig.With(new DomctlGetVcpuInfo { Vcpu = 1 })), Is.Zero);
        Assert.That(m.Union<DomctlGetVcpuInfo>(v).Online, Is.EqualTo(0), "vCPU 1 starts down");
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuInfo, 1, DomctlRig.With(new DomctlGetVcpuInfo { Vcpu = 2 })), Is.EqualTo(-Errno.ENOENT));
    }

    static DomctlVcpuAffinity Aff(uint vcpu, uint flags, uint bits = 8) => new()
    {
        Vcpu = vcpu, Flags = flags,
        CpumapHard = new XenctlBitmap { Bitmap = DomctlRig.BufGpa, NrBits = bits },
        CpumapSoft = new XenctlBitmap { Bitmap = DomctlRig.Buf2Gpa, NrBits = bits },
    };

    [Test]
    public void AffinityIsSetAndReportedAsEffectiveAndStored()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1);
        var v = d0.Vcpus[0];
        m.Poke(d0, DomctlRig.BufGpa, new byte[] { 0x03, 0xFF });
        m.Poke(d0, DomctlRig.Buf2Gpa, new byte[] { 0x01, 0xFF });
        Assert.That(m.Domctl(v, DomctlCmd.SetVcpuAffinity, 1, DomctlRig.With(Aff(0, XenScheduler.AffinityHard | XenScheduler.AffinitySoft, 16))), Is.Zero);
        Assert.That(m.Peek(d0, DomctlRig.BufGpa, 2), Is.EqualTo(new byte[] { 0x01, 0x00 }), "effective: our one CPU, the rest zeroed");
        Assert.That(u.Control.HardAffinity[0], Is.EqualTo(1UL));

        m.Poke(d0, DomctlRig.BufGpa, new byte[] { 0xEE });
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuAffinity, 1, DomctlRig.With(Aff(0, XenScheduler.AffinityHard))), Is.Zero);
        Assert.That(m.Peek(d0, DomctlRig.BufGpa, 1)[0], Is.EqualTo(0x01));
    }

    [Test]
    public void AffinityRefusals()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        m.NewDomain(GuestMode.Hvm64, id: 1);
        var v = d0.Vcpus[0];
        m.Poke(d0, DomctlRig.BufGpa, new byte[] { 0x02 });
        Assert.That(m.Domctl(v, DomctlCmd.SetVcpuAffinity, 1, DomctlRig.With(Aff(0, XenScheduler.AffinityHard))), Is.EqualTo(-Errno.EINVAL), "no CPU left");
        Assert.That(m.Domctl(v, DomctlCmd.SetVcpuAffinity, 1, DomctlRig.With(Aff(0, 0))), Is.EqualTo(-Errno.EINVAL), "no flags");
        Assert.That(m.Domctl(v, DomctlCmd.SetVcpuAffinity, 1, DomctlRig.With(Aff(5, XenScheduler.AffinityHard))), Is.EqualTo(-Errno.EINVAL), "no vCPU 5");
        var nullMap = Aff(0, XenScheduler.AffinitySoft);
        nullMap.CpumapSoft.Bitmap = 0;
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuAffinity, 1, DomctlRig.With(nullMap)), Is.EqualTo(-Errno.EINVAL), "null bitmap");
        var bad = Aff(0, XenScheduler.AffinityHard);
        bad.CpumapHard.Bitmap = 0x7FFF_0000;
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuAffinity, 1, DomctlRig.With(bad)), Is.EqualTo(-Errno.EFAULT));
    }

    [Test]
    public void ForceUndoesAPinOverride()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1);
        u.Vcpus[0].AffinityBroken = Hv.Common.Sched.PinOverride.AffinityOverride;
        m.Poke(d0, DomctlRig.BufGpa, new byte[] { 0x01 });
        Assert.That(m.Domctl(d0.Vcpus[0], DomctlCmd.SetVcpuAffinity, 1, DomctlRig.With(Aff(0, XenScheduler.AffinityHard | XenScheduler.AffinityForce))), Is.Zero);
        Assert.That(u.Vcpus[0].AffinityBroken, Is.Zero);
    }

    [Test]
    public void SchedulerOpIsTheNullSchedulerWithoutParameters()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        m.NewDomain(GuestMode.Hvm64, id: 1);
        var v = d0.Vcpus[0];
        var op = new DomctlSchedulerOp { SchedId = XenScheduler.Null, Cmd = XenScheduler.GetInfo };
        op.U[0] = 0x5A;
        Assert.That(m.Domctl(v, DomctlCmd.SchedulerOp, 1, DomctlRig.With(op)), Is.Zero);
        var back = m.Union<DomctlSchedulerOp>(v);
        Assert.That(back.U[0], Is.EqualTo(0x5A), "copied back unchanged");
        op.SchedId = XenScheduler.Credit;
        Assert.That(m.Domctl(v, DomctlCmd.SchedulerOp, 1, DomctlRig.With(op)), Is.EqualTo(-Errno.EINVAL), "not our scheduler");
        op.SchedId = XenScheduler.Null;
        op.Cmd = 4;
        Assert.That(m.Domctl(v, DomctlCmd.SchedulerOp, 1, DomctlRig.With(op)), Is.EqualTo(-Errno.EINVAL), "no such command");
    }

    [Test]
    public void HvmVcpuContextRoundTrips()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        var u = m.NewDomain(GuestMode.Hvm64, id: 1, vcpus: 2);
        var v = d0.Vcpus[0];
        var ctx = new VcpuGuestContextX86_64 { Flags = VcpuGuestContextX86_64.FlagOnline };
        ctx.UserRegs.Rip = 0x10_0000;
        ctx.UserRegs.Rsp = 0x8000;
        ctx.UserRegs.Rbx = 0x1234;
        ctx.CtrlReg[0] = 0x11;
        m.PokeStruct(d0, DomctlRig.BufGpa, ctx);
        Assert.That(m.Domctl(v, DomctlCmd.SetVcpuContext, 1, DomctlRig.With(new DomctlVcpuContext { Vcpu = 1, Ctxt = DomctlRig.BufGpa })), Is.Zero);
        Assert.That((u.Vcpus[1].IsUp, u.Vcpus[1].Regs.Ip, u.Vcpus[1].Regs[X86Reg.Rbx]), Is.EqualTo((true, 0x10_0000UL, 0x1234UL)));

        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuContext, 1, DomctlRig.With(new DomctlVcpuContext { Vcpu = 1, Ctxt = DomctlRig.Buf2Gpa })), Is.Zero);
        var back = m.PeekStruct<VcpuGuestContextX86_64>(d0, DomctlRig.Buf2Gpa);
        Assert.That((back.Flags, back.UserRegs.Rip, back.UserRegs.Rsp, back.CtrlReg[0]), Is.EqualTo((VcpuGuestContextX86_64.FlagOnline, 0x10_0000UL, 0x8000UL, 0x11UL)));

        Assert.That(m.Domctl(v, DomctlCmd.SetVcpuContext, 1, DomctlRig.With(new DomctlVcpuContext { Vcpu = 1, Ctxt = 0 })), Is.Zero, "null: reset");
        Assert.That(u.Vcpus[1].IsUp, Is.False);
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuContext, 1, DomctlRig.With(new DomctlVcpuContext { Vcpu = 1, Ctxt = DomctlRig.Buf2Gpa })), Is.EqualTo(-Errno.ENODATA));
    }

    [Test]
    public void VcpuContextRefusals()
    {
        var m = Machine();
        var d0 = m.NewDomain(GuestMode.Hvm64);
        m.NewDomain(GuestMode.Hvm64, id: 1);
        m.NewDomain(GuestMode.Pv64, id: 2);
        var v = d0.Vcpus[0];
        DomctlRig.UnionFill At(uint vcpu, ulong ctxt) => DomctlRig.With(new DomctlVcpuContext { Vcpu = vcpu, Ctxt = ctxt });
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuContext, 0, At(0, DomctlRig.BufGpa)), Is.EqualTo(-Errno.EINVAL), "the calling vCPU");
        Assert.That(m.Domctl(v, DomctlCmd.SetVcpuContext, 0, At(0, DomctlRig.BufGpa)), Is.EqualTo(-Errno.EINVAL), "own domain");
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuContext, 1, At(3, DomctlRig.BufGpa)), Is.EqualTo(-Errno.EINVAL), "no vCPU 3");
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuContext, 1, At(0, 0x7FFF_0000)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(m.Domctl(v, DomctlCmd.SetVcpuContext, 1, At(0, 0x7FFF_0000)), Is.EqualTo(-Errno.EFAULT));
        Assert.That(m.Domctl(v, DomctlCmd.GetVcpuContext, 2, At(0, DomctlRig.BufGpa)), Is.EqualTo(-Errno.EOPNOTSUPP), "PV context not modelled");
        var nonCanonical = new VcpuGuestContextX86_64();
        nonCanonical.UserRegs.Rip = 0x0000_8000_0000_0000;
        m.PokeStruct(d0, DomctlRig.BufGpa, nonCanonical);
        Assert.That(m.Domctl(v, DomctlCmd.SetVcpuContext, 1, At(0, DomctlRig.BufGpa)), Is.EqualTo(-Errno.EINVAL));
    }
}

using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Harness;
using XenLite.Tests.Loader;

namespace XenLite.Tests.Arch.X86;

/// <summary>A PV32 (compat) domain in its SVM container: ring-1 PAE entry state and the INT 0x82 gate (SVM INTn intercept).</summary>
[Category("svm")]
[Category("pv32")]
public unsafe class Pv32GateTests
{
    const ulong Pages = 1024;
    static ulong IntIn(int n) => Pv32BuilderTests.HypercallVa + (ulong)n * 32 + 5; // after mov $n,%eax
    static ulong Text => Pv32BuilderTests.VirtBase + ElfWriter.DataBase;

    sealed class Bed32 : System.IDisposable
    {
        public readonly SvmBed Bed = new();
        public readonly Domain D;
        public readonly PvBoot Boot;

        public Bed32()
        {
            D = Bed.Hv.CreateDomain(new DomainConfig { Id = 0, Mode = GuestMode.Pv32, Vcpus = 1, Pages = Pages, Privileged = true });
            byte[] image = Pv32BuilderTests.Pv().Build();
            using var g = new GuardedImage(image);
            LoadRefusal r = Pv32Builder.Build(D, g.Pointer, (ulong)image.Length, null, 0, null, out Boot);
            Assert.That(r.Refused, Is.False, r.Message);
            Assert.That(SvmDomain.Create(Bed.Host, D), Is.True);
            SvmSetup.Pv32Entry(D.Vcpus[0], in Boot);
        }

        public Vcpu V => D.Vcpus[0];

        /// <summary>The guest runs to `int $0x82` in hypercall-page slot <paramref name="n"/> with the given registers.</summary>
        public SvmExitResult Hypercall(int n, ulong ebx = 0, ulong ecx = 0, ulong edx = 0) =>
            Bed.Exit(V, SvmExit.Swint, guest: (vmcb, regs) =>
            {
                vmcb->Rip = IntIn(n);
                vmcb->Rax = (ulong)n;
                regs->Gpr[X86Reg.Rbx] = ebx;
                regs->Gpr[X86Reg.Rcx] = ecx;
                regs->Gpr[X86Reg.Rdx] = edx;
            });

        /// <summary>The guest executes <paramref name="code"/> (written at the start of its data) and exits with <paramref name="exit"/>.</summary>
        public SvmExitResult Execute(byte[] code, uint exit)
        {
            fixed (byte* p = code) Assert.That(GuestMemory.CopyTo(V, Text, p, (ulong)code.Length), Is.Zero);
            return Bed.Exit(V, exit, guest: (vmcb, regs) => vmcb->Rip = Text);
        }

        public string Console => Bed.M.Platform.ConsoleText;

        public void Dispose() => Bed.Dispose();
    }

    [Test]
    public void EntersIn32BitPaeRing1WithXensCompatSelectors()
    {
        using var pv = new Bed32();
        pv.Bed.Exit(pv.V, SvmExit.Intr);
        Vmcb e = pv.Bed.Cpu.LastEntry;
        Assert.That(e.Rip, Is.EqualTo((ulong)Pv32BuilderTests.EntryVa));
        Assert.That(e.Rsp, Is.EqualTo(pv.Boot.StackTop));
        Assert.That(pv.V.Regs[X86Reg.Rsi], Is.EqualTo(pv.Boot.StartInfo));
        Assert.That(e.Cr3, Is.EqualTo(pv.Boot.PageTable.Value), "the PAE L3");
        Assert.That((e.Cs.Selector, e.Ss.Selector, e.Ds.Selector, e.Es.Selector), Is.EqualTo(((ushort)0xE019, (ushort)0xE021, (ushort)0xE021, (ushort)0xE021)));
        Assert.That(e.Cpl, Is.EqualTo(1));
        Assert.That((e.Cs.Attrib >> 5) & 3, Is.EqualTo(1), "CS.DPL 1");
        Assert.That(e.Cs.Attrib & VmcbSegment.AttrL, Is.Zero, "32-bit code");
        Assert.That(e.Efer & (X86Bits.EferLma | X86Bits.EferLme), Is.Zero, "legacy (not long) mode");
        Assert.That(e.Cr4 & X86Bits.Cr4Pae, Is.Not.Zero);
        Assert.That(e.Cr0 & X86Bits.Cr0Pg, Is.Not.Zero);
        Assert.That(e.Intercepts1 & SvmIntercept1.Intn, Is.Not.Zero, "software interrupts exit");
        Assert.That(e.Rflags & X86Bits.RflagsIf, Is.Not.Zero);
        Assert.That(pv.V.Mode, Is.EqualTo(GuestMode.Pv32));
    }

    [Test]
    public void Int82InTheHypercallPageIsAPv32HypercallAndStepsOver()
    {
        using var pv = new Bed32();
        byte[] line = Encoding.ASCII.GetBytes("hello from pv32\n");
        fixed (byte* p = line) Assert.That(GuestMemory.CopyTo(pv.V, Text, p, (ulong)line.Length), Is.Zero);
        // Upper register halves are not the guest's: pv32 arguments are truncated to 32 bits.
        Assert.That(pv.Hypercall(HypercallNumber.ConsoleIo, 0xFFFF_FFFF_0000_0000, (ulong)line.Length, Text | 0xAB00_0000_0000_0000),
            Is.EqualTo(SvmExitResult.Resume));
        Assert.That(pv.Console, Does.Contain("hello from pv32"));
        Assert.That((uint)pv.V.Regs[X86Reg.Rax], Is.Zero);
        Assert.That(pv.V.Regs.Ip, Is.EqualTo(IntIn(HypercallNumber.ConsoleIo) + 2));
        Assert.That(pv.V.Mode, Is.EqualTo(GuestMode.Pv32));
        Assert.That(pv.D.State, Is.EqualTo(DomainState.Running));
    }

    [Test]
    public void UnknownNumberIsEnosysAndXenVersionAnswers()
    {
        using var pv = new Bed32();
        pv.Hypercall(63);
        Assert.That((int)(uint)pv.V.Regs[X86Reg.Rax], Is.EqualTo(-Errno.ENOSYS));
        pv.Hypercall(HypercallNumber.XenVersion, 0);
        Assert.That((uint)pv.V.Regs[X86Reg.Rax], Is.EqualTo((uint)(BuildInfo.Major << 16 | BuildInfo.Minor)));
    }

    [Test]
    public void PointersAboveTheCompatXenStartAreEfault()
    {
        using var pv = new Bed32();
        pv.Hypercall(HypercallNumber.ConsoleIo, 0, 16, 0xF580_0000);
        Assert.That((int)(uint)pv.V.Regs[X86Reg.Rax], Is.EqualTo(-Errno.EFAULT));
        pv.Hypercall(HypercallNumber.ConsoleIo, 0, 16, pv.Boot.Layout.VEnd);
        Assert.That((int)(uint)pv.V.Regs[X86Reg.Rax], Is.EqualTo(-Errno.EFAULT));
        Assert.That(pv.D.State, Is.EqualTo(DomainState.Running));
    }

    [Test]
    public void SchedopShutdownEndsTheDomain()
    {
        using var pv = new Bed32();
        uint reason = 0; // SHUTDOWN_poweroff
        Assert.That(GuestMemory.CopyTo(pv.V, Text, &reason, 4), Is.Zero);
        Assert.That(pv.Hypercall(HypercallNumber.SchedOp, 2, Text), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(pv.D.ShutdownCode, Is.EqualTo(0u));
    }

    [Test]
    public void AnotherSoftwareInterruptCrashesOnlyThatDomainNamingTheVector()
    {
        using var pv = new Bed32();
        Domain other = pv.Bed.NewPvh(id: 1);
        var r = pv.Execute(new byte[] { 0xCD, 0x80 }, SvmExit.Swint);
        Assert.That(r, Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(pv.Console, Does.Contain("Domain 0 (vcpu#0) crashed: unhandled software interrupt, vector 0x80 (no trap table: set_trap_table is not implemented)"));
        Assert.That(pv.D.ShutdownCode, Is.EqualTo((uint)ShutdownReason.Crash));
        Assert.That(other.State, Is.EqualTo(DomainState.Running), "the other domain runs on");
        Assert.That(pv.Bed.Hv.Lookup(1), Is.SameAs(other));
        Assert.That(pv.Bed.Hv.Lookup(0), Is.Null, "the crashed one is gone");
    }

    [TestCase(new byte[] { 0xCC }, "vector 0x03")]
    [TestCase(new byte[] { 0xCE }, "vector 0x04")]
    [TestCase(new byte[] { 0xCD, 0x81 }, "vector 0x81")]
    public void Int3IntoAndNeighboursCrashToo(byte[] code, string named)
    {
        using var pv = new Bed32();
        Assert.That(pv.Execute(code, SvmExit.Swint), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(pv.Console, Does.Contain("unhandled software interrupt, " + named));
    }

    [Test]
    public void SyscallFromAPv32GuestIsAnUnhandledUd()
    {
        using var pv = new Bed32();
        Assert.That(pv.Execute(new byte[] { 0x0F, 0x05 }, SvmExit.ExceptionBase + SvmEvent.VectorUd), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(pv.Console, Does.Contain("unhandled #UD"));
    }

    [Test]
    public void SoftwareInterruptAtAnUnmappedAddressCrashesTheDomain()
    {
        using var pv = new Bed32();
        var r = pv.Bed.Exit(pv.V, SvmExit.Swint, guest: (vmcb, regs) => vmcb->Rip = 0x1000);
        Assert.That(r, Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(pv.Console, Does.Contain("software interrupt at an address its page tables do not map"));
    }

    [Test]
    public void Int82FromAPv64GuestCrashesIt()
    {
        using var bed = new SvmBed();
        Domain d = bed.Hv.CreateDomain(new DomainConfig { Id = 0, Mode = GuestMode.Pv64, Vcpus = 1, Pages = Pages, Privileged = true });
        byte[] image = Pv64BuilderTests.Pv().Build();
        PvBoot boot;
        using (var g = new GuardedImage(image))
            Assert.That(Pv64Builder.Build(d, g.Pointer, (ulong)image.Length, null, 0, null, out boot).Refused, Is.False);
        Assert.That(SvmDomain.Create(bed.Host, d), Is.True);
        Vcpu v = d.Vcpus[0];
        SvmSetup.Pv64Entry(v, in boot);
        ulong text = Pv64BuilderTests.VirtBase + ElfWriter.DataBase;
        byte[] code = { 0xCD, 0x82 };
        fixed (byte* p = code) Assert.That(GuestMemory.CopyTo(v, text, p, 2), Is.Zero);
        Assert.That(v.X86.Vmcb->Intercepts1 & SvmIntercept1.Intn, Is.Not.Zero, "PV64 software interrupts exit too");
        Assert.That(bed.Exit(v, SvmExit.Swint, guest: (vmcb, regs) => vmcb->Rip = text), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(bed.M.Platform.ConsoleText, Does.Contain("int $0x82 from a 64-bit PV guest"));
    }

    [Test]
    public void HvmGuestsDoNotInterceptSoftwareInterrupts()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Assert.That(v.X86.Vmcb->Intercepts1 & SvmIntercept1.Intn, Is.Zero);
    }
}

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

/// <summary>A PV64 domain in its SVM container: entry state, the syscall (#UD) gate, nested tables keyed by machine frame.</summary>
[Category("svm")]
[Category("pv64")]
public unsafe class PvGateTests
{
    const ulong Pages = 1024;
    const ulong TextVa = Pv64BuilderTests.KernelVa;
    static ulong SyscallIn(int n) => Pv64BuilderTests.HypercallVa + (ulong)n * 32 + 8; // after push rcx, push r11, mov

    sealed class PvBed : System.IDisposable
    {
        public readonly SvmBed Bed = new();
        public readonly Domain D;
        public readonly PvBoot Boot;

        public PvBed()
        {
            D = Bed.Hv.CreateDomain(new DomainConfig { Id = 0, Mode = GuestMode.Pv64, Vcpus = 1, Pages = Pages, Privileged = true });
            byte[] image = Pv64BuilderTests.Pv().Build();
            using var g = new GuardedImage(image);
            LoadRefusal r = Pv64Builder.Build(D, g.Pointer, (ulong)image.Length, null, 0, null, out Boot);
            Assert.That(r.Refused, Is.False, r.Message);
            Assert.That(SvmDomain.Create(Bed.Host, D), Is.True);
            SvmSetup.Pv64Entry(D.Vcpus[0], in Boot);
        }

        public Vcpu V => D.Vcpus[0];

        /// <summary>The guest runs to `syscall` in hypercall-page slot <paramref name="n"/> with the given registers.</summary>
        public SvmExitResult Hypercall(int n, ulong rdi = 0, ulong rsi = 0, ulong rdx = 0) =>
            Bed.Exit(V, SvmExit.ExceptionBase + SvmEvent.VectorUd, guest: (vmcb, regs) =>
            {
                vmcb->Rip = SyscallIn(n);
                vmcb->Rax = (ulong)n;
                regs->Gpr[X86Reg.Rdi] = rdi;
                regs->Gpr[X86Reg.Rsi] = rsi;
                regs->Gpr[X86Reg.Rdx] = rdx;
            });

        public void Dispose() => Bed.Dispose();
    }

    [Test]
    public void EntersInLongModeRing3OnItsBootstrapTablesWithSyscallDisabled()
    {
        using var pv = new PvBed();
        pv.Bed.Exit(pv.V, SvmExit.Intr);
        Vmcb e = pv.Bed.Cpu.LastEntry;
        Assert.That(e.Rip, Is.EqualTo(Pv64BuilderTests.EntryVa));
        Assert.That(e.Rsp, Is.EqualTo(pv.Boot.StackTop));
        Assert.That(pv.V.Regs[X86Reg.Rsi], Is.EqualTo(pv.Boot.StartInfo));
        Assert.That(e.Cr3, Is.EqualTo(pv.Boot.PageTable.Value));
        Assert.That((e.Cs.Selector, e.Ss.Selector, e.Ds.Selector), Is.EqualTo(((ushort)0xE033, (ushort)0xE02B, (ushort)0)));
        Assert.That(e.Cpl, Is.EqualTo(3));
        Assert.That(e.Efer & X86Bits.EferSce, Is.Zero, "syscall must raise #UD");
        Assert.That(e.Efer & (X86Bits.EferLma | X86Bits.EferLme), Is.EqualTo(X86Bits.EferLma | X86Bits.EferLme));
        Assert.That(e.Cr0 & X86Bits.Cr0Pg, Is.Not.Zero);
        Assert.That(e.ExceptionIntercepts, Is.EqualTo(1u << 6), "#UD intercepted");
        Assert.That(e.Rflags & X86Bits.RflagsIf, Is.Not.Zero);
        Assert.That(pv.V.Mode, Is.EqualTo(GuestMode.Pv64));
    }

    [Test]
    public void SyscallInTheHypercallPageIsAPv64HypercallAndStepsOver()
    {
        using var pv = new PvBed();
        // A string in the kernel's data, written through the guest's own page tables.
        ulong text = Pv64BuilderTests.VirtBase + ElfWriter.DataBase;
        byte[] line = Encoding.ASCII.GetBytes("hello from pv64\n");
        fixed (byte* p = line) Assert.That(GuestMemory.CopyTo(pv.V, text, p, (ulong)line.Length), Is.Zero);

        Assert.That(pv.Hypercall(HypercallNumber.ConsoleIo, 0, (ulong)line.Length, text), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(pv.Bed.M.Platform.ConsoleText, Does.Contain("hello from pv64"));
        Assert.That(pv.V.Regs[X86Reg.Rax], Is.Zero);
        Assert.That(pv.V.Regs.Ip, Is.EqualTo(SyscallIn(HypercallNumber.ConsoleIo) + 2));
        Assert.That(pv.V.Mode, Is.EqualTo(GuestMode.Pv64));
    }

    [Test]
    public void UnknownNumberIsEnosysAndXenVersionAnswers()
    {
        using var pv = new PvBed();
        pv.Hypercall(63);
        Assert.That((long)pv.V.Regs[X86Reg.Rax], Is.EqualTo(-Errno.ENOSYS));
        // xen_version answers in pv64 mode.
        pv.Hypercall(HypercallNumber.XenVersion, 0);
        Assert.That(pv.V.Regs[X86Reg.Rax], Is.EqualTo((ulong)(BuildInfo.Major << 16 | BuildInfo.Minor)));
    }

    [Test]
    public void BadPointerGetsEfaultNotACrash()
    {
        using var pv = new PvBed();
        pv.Hypercall(HypercallNumber.ConsoleIo, 0, 16, 0xFFFF_8000_0000_1000); // Xen's own area
        Assert.That((long)pv.V.Regs[X86Reg.Rax], Is.EqualTo(-Errno.EFAULT));
        pv.Hypercall(HypercallNumber.ConsoleIo, 0, 16, pv.Boot.Layout.VEnd); // not mapped
        Assert.That((long)pv.V.Regs[X86Reg.Rax], Is.EqualTo(-Errno.EFAULT));
        Assert.That(pv.D.State, Is.EqualTo(DomainState.Running));
    }

    [Test]
    public void AnotherInvalidOpcodeCrashesTheDomainAsXenDoesWithoutATrapTable()
    {
        using var pv = new PvBed();
        var r = pv.Bed.Exit(pv.V, SvmExit.ExceptionBase + SvmEvent.VectorUd, guest: (vmcb, regs) => vmcb->Rip = TextVa);
        Assert.That(r, Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(pv.Bed.M.Platform.ConsoleText, Does.Contain("unhandled #UD"));
    }

    [Test]
    public void UdAtAnUnmappedAddressCrashesTheDomain()
    {
        using var pv = new PvBed();
        var r = pv.Bed.Exit(pv.V, SvmExit.ExceptionBase + SvmEvent.VectorUd, guest: (vmcb, regs) => vmcb->Rip = 0x1000);
        Assert.That(r, Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(pv.Bed.M.Platform.ConsoleText, Does.Contain("#UD at an address its page tables do not map"));
    }

    [Test]
    public void VmmcallFromAPvGuestCrashesIt()
    {
        using var pv = new PvBed();
        Assert.That(pv.Bed.Exit(pv.V, SvmExit.Vmmcall), Is.EqualTo(SvmExitResult.DomainGone));
        Assert.That(pv.Bed.M.Platform.ConsoleText, Does.Contain("vmmcall from a PV guest"));
    }

    [Test]
    public void UdOfAnHvmGuestIsReflected()
    {
        using var bed = new SvmBed();
        var v = bed.NewPvh().Vcpus[0];
        Assert.That(bed.Exit(v, SvmExit.ExceptionBase + SvmEvent.VectorUd), Is.EqualTo(SvmExitResult.Resume));
        Assert.That(v.X86.Vmcb->EventInj, Is.EqualTo(SvmEvent.Exception(SvmEvent.VectorUd)));
        Assert.That(v.X86.Vmcb->ExceptionIntercepts, Is.Zero, "HVM guests keep their own #UD");
    }

    [Test]
    public void NestedTablesMapExactlyTheDomainsFramesAtTheirOwnNumbers()
    {
        using var pv = new PvBed();
        MachineMemory mem = pv.Bed.Hv.Memory;
        Mfn root = pv.D.X86.NptRoot;
        for (ulong pfn = 0; pfn < Pages; pfn++)
        {
            Mfn mfn = pv.D.P2m.Lookup(new Gfn(pfn));
            Assert.That(Npt.IsMapped(mem, root, new Gfn(mfn.Value)), Is.True, $"pfn {pfn}");
        }
        Assert.That(Npt.IsMapped(mem, root, new Gfn(pv.D.SharedInfo.Frame.Value)), Is.True, "shared_info");
        Assert.That(Npt.IsMapped(mem, root, new Gfn(pv.D.X86.NptRoot.Value)), Is.False, "hypervisor frames stay out of reach");
        Assert.That(Npt.IsMapped(mem, root, new Gfn(0)), Is.False);
        // A frame that leaves the domain (decrease_reservation) leaves the container too.
        Mfn last = pv.D.P2m.Lookup(new Gfn(Pages - 1));
        Assert.That(Physmap.GuestRemovePage(pv.D, last.Value), Is.Zero);
        Assert.That(Npt.IsMapped(mem, root, new Gfn(last.Value)), Is.False);
        Assert.That(pv.V.X86.FlushTlb, Is.True);
    }
}

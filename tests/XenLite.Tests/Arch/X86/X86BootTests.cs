using System;
using System.Runtime.InteropServices;
using System.Text;
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Arch.X86;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Loader;
using XenLite.Hv.Common.Memory;
using XenLite.Tests.Loader;

namespace XenLite.Tests.Arch.X86;

/// <summary>The x86 boot order hosted: options, dom0 from module 0, the vCPU loop and the exit status, on a FakeX86Cpu.</summary>
[Category("x86_boot")]
public unsafe class X86BootTests
{
    sealed class Machine : BootPlatform
    {
        public readonly StringBuilder Console = new();
        public ulong Now;
        public override ulong NowNs() => Now += 1000;
        public override void ConsoleWrite(byte b) => Console.Append((char)b);
        public override bool PreemptPending() => false;
    }

    sealed class Boot : IDisposable
    {
        const ulong Frames = 8192; // 32 MiB
        readonly byte[] _ram = new byte[Frames * Page.Size];
        readonly GCHandle _pin;
        readonly GCHandle[] _pins = new GCHandle[3];
        public readonly Machine Platform = new();
        public readonly FakeX86Cpu Cpu = new();
        public readonly SvmCounters Counters = new() { EntryTsc = 5 };
        public readonly MachineMemory Memory;

        public Boot()
        {
            _pin = GCHandle.Alloc(_ram, GCHandleType.Pinned);
            Memory = new MachineMemory((byte*)_pin.AddrOfPinnedObject(), 0x1000, Frames);
            Cpu.Memory = Memory;
        }

        public string Console => Platform.Console.ToString();

        public int Run(string cmdline, params (byte[] Data, string Str)[] modules)
        {
            var mods = new X86BootModule[modules.Length];
            for (int i = 0; i < modules.Length; i++)
            {
                _pins[i] = GCHandle.Alloc(modules[i].Data, GCHandleType.Pinned);
                byte[] s = Encoding.ASCII.GetBytes(modules[i].Str);
                var sp = GCHandle.Alloc(s, GCHandleType.Pinned);
                mods[i] = new X86BootModule
                {
                    Data = (byte*)_pins[i].AddrOfPinnedObject(), Length = (ulong)modules[i].Data.Length,
                    String = (byte*)sp.AddrOfPinnedObject(), StringLength = s.Length,
                };
            }
            byte[] line = Encoding.ASCII.GetBytes(cmdline);
            var e820 = new[] { new BootMemoryRange { Base = 0, Length = 0x9FC00, Type = 1 }, new BootMemoryRange { Base = 0xF0000, Length = 0x10000, Type = 2 } };
            fixed (byte* p = line)
                return X86Boot.Run(Platform, Cpu, Memory, cmdline, p, line.Length, e820, mods, Counters);
        }

        public void Dispose()
        {
            _pin.Free();
            foreach (var h in _pins) if (h.IsAllocated) h.Free();
        }
    }

    static byte[] Kernel() => ElfWriter.Pvh().Build();

    [Test]
    public void Dom0PowersOffCleanly_StatusZero_BannerAndCountersPrinted()
    {
        using var b = new Boot();
        b.Cpu.Steps.Enqueue((vmcb, regs) => { vmcb->ExitCode = SvmExit.Cpuid; regs->Gpr[X86Reg.Rcx] = 0; });
        ShutdownVia(b, ZeroedGpa);
        int status = b.Run("console=com1 loglvl=all", (Kernel(), "dom0.elf root=/dev/xvda"));
        Assert.That(status, Is.Zero, b.Console);
        Assert.That(b.Console, Does.Contain("(XEN) Xen version 4.22"));
        Assert.That(b.Console, Does.Contain("(XEN) Command line: console=com1 loglvl=all"));
        Assert.That(b.Console, Does.Contain("(XEN) d0: PVH kernel 'dom0.elf' entry 0x00100040"));
        Assert.That(b.Console, Does.Contain("command line 'root=/dev/xvda'"));
        Assert.That(b.Console, Does.Contain("Hardware Dom0 halted: halting machine"));
        Assert.That(b.Console, Does.Contain("(XEN) VMMCALL exits"), "loglvl=all prints the counters");
        Assert.That(b.Console, Does.Contain("(XEN)   0x072 1"), "one CPUID exit counted");
        Assert.That(b.Counters.FirstVmrunTsc, Is.EqualTo(b.Cpu.Tsc), "the first VMRUN is timed");
        Assert.That(b.Cpu.LastEntry.Rip, Is.EqualTo(0x100042UL), "cpuid stepped over before the hypercall ran");
    }

    [Test]
    public void TheFirstVmrunEntersThePvhKernelIn32BitModeWithStartInfoInEbx()
    {
        using var b = new Boot();
        ulong ebx = 0;
        Vmcb entry = default;
        b.Cpu.Steps.Enqueue((vmcb, regs) => { ebx = regs->Gpr[X86Reg.Rbx]; entry = *vmcb; vmcb->ExitCode = SvmExit.Shutdown; });
        b.Run("", (Kernel(), "k"));
        Assert.That(entry.Rip, Is.EqualTo((ulong)ElfWriter.PhysEntry));
        Assert.That(entry.Cr0 & X86Bits.Cr0Pg, Is.Zero);
        Assert.That(entry.Cs.Attrib, Is.EqualTo(SvmSetup.CodeAttrib));
        Assert.That(ebx, Is.Not.Zero.And.LessThan(1UL << 32), "EBX = hvm_start_info");
    }

    [Test]
    public void Dom0ShuttingDownForAnyOtherReasonGivesStatusOne()
    {
        using var b = new Boot();
        ShutdownVia(b, PatternGpa);
        Assert.That(b.Run("", (Kernel(), "k")), Is.EqualTo(1), b.Console);
        Assert.That(b.Console, Does.Contain("Hardware Dom0 shutdown (unknown reason 7)"));
    }

    [Test]
    public void ATripleFaultIsReportedAndTheBootEndsWithStatusOne()
    {
        using var b = new Boot();
        b.Cpu.Steps.Enqueue((vmcb, regs) => vmcb->ExitCode = SvmExit.Shutdown);
        Assert.That(b.Run("", (Kernel(), "k")), Is.EqualTo(1));
        Assert.That(b.Console, Does.Contain("Domain 0 (vcpu#0) crashed: triple fault (VMEXIT_SHUTDOWN)"));
        Assert.That(b.Console, Does.Contain("(XEN) machine stops with status 1"));
    }

    [Test]
    public void AnInvalidModuleIsRefusedByNameAndTheMachineStopsWithStatusOne()
    {
        using var b = new Boot();
        int status = b.Run("", (Encoding.ASCII.GetBytes("#!/bin/sh\n"), "initrd.img quiet"));
        Assert.That(status, Is.EqualTo(1));
        Assert.That(b.Console, Does.Contain("(XEN) d0: refusing module 0 'initrd.img': not an ELF image (bad magic)"));
        Assert.That(b.Cpu.VmRuns, Is.Zero);
        Assert.That(b.Memory.FreeFrames, Is.GreaterThan(8000UL), "dom0's RAM was given back");
    }

    [Test]
    public void NoModuleMeansNoDom0AndStatusOne()
    {
        using var b = new Boot();
        Assert.That(b.Run(""), Is.EqualTo(1));
        Assert.That(b.Console, Does.Contain("(XEN) no dom0 kernel"));
    }

    [Test]
    public void WithoutSvmTheBootStopsWithAReason()
    {
        using var b = new Boot();
        b.Cpu.Leaves[(0x8000_0001, 0)] = (0, 0, 0, 0);
        Assert.That(b.Run("", (Kernel(), "k")), Is.EqualTo(1));
        Assert.That(b.Console, Does.Contain("SVM: not supported by this CPU"));
    }

    [Test]
    public void HltWithNothingToWakeTheVcpuStopsTheMachine()
    {
        using var b = new Boot();
        b.Cpu.Steps.Enqueue((vmcb, regs) => { vmcb->Rflags |= X86Bits.RflagsIf; vmcb->ExitCode = SvmExit.Hlt; });
        Assert.That(b.Run("", (Kernel(), "k")), Is.EqualTo(1));
        Assert.That(b.Console, Does.Contain("every vCPU is waiting and no timer is armed"));
    }

    [Test]
    public void HltWithATimerArmedIdlesUntilItFiresAndResumes()
    {
        using var b = new Boot();
        b.Cpu.Steps.Enqueue((vmcb, regs) => { vmcb->Rflags |= X86Bits.RflagsIf; vmcb->ExitCode = SvmExit.Hlt; });
        ShutdownVia(b, ZeroedGpa);
        // set_timer_op is queued first so the HLT has something to wait for.
        var steps = b.Cpu.Steps.ToArray();
        b.Cpu.Steps.Clear();
        b.Cpu.Steps.Enqueue((vmcb, regs) =>
        {
            vmcb->Rax = (ulong)HypercallNumber.SetTimerOp;
            regs->Gpr[X86Reg.Rbx] = 50_000;   // deadline (ns, low half)
            regs->Gpr[X86Reg.Rcx] = 0;
            vmcb->ExitCode = SvmExit.Vmmcall;
        });
        foreach (var s in steps) b.Cpu.Steps.Enqueue(s);
        Assert.That(b.Run("", (Kernel(), "k")), Is.Zero, b.Console);
        Assert.That(b.Platform.Now, Is.GreaterThanOrEqualTo(50_000UL), "the loop waited for the deadline");
    }

    [Test]
    public void UnknownOptionsAreReportedOnceEachWithXensWording()
    {
        using var b = new Boot();
        b.Run("console=com1 frob=1 loglvl=all noreboot quux", (Encoding.ASCII.GetBytes("x"), "k"));
        Assert.That(Occurrences(b.Console, "(XEN) parameter \"frob\" unknown!"), Is.EqualTo(1));
        Assert.That(Occurrences(b.Console, "(XEN) parameter \"quux\" unknown!"), Is.EqualTo(1));
        Assert.That(b.Console, Does.Not.Contain("\"noreboot\""), "Xen options we accept are not reported");
    }

    /// <summary>Zeroed RAM (a reason of 0 = SHUTDOWN_poweroff) and the kernel's data segment (first byte 7: no known reason).</summary>
    [Test]
    public void APvKernelBootsAsAPv64Dom0AndShutsDownThroughItsHypercallPage()
    {
        using var b = new Boot();
        ulong bss = Pv64BuilderTests.VirtBase + ElfWriter.DataBase + ElfWriter.DataFileSize; // zero: SHUTDOWN_poweroff
        b.Cpu.Steps.Enqueue((vmcb, regs) =>
        {
            vmcb->Rip = Pv64BuilderTests.HypercallVa + (ulong)HypercallNumber.SchedOp * 32 + 8; // the slot's syscall
            vmcb->Rax = (ulong)HypercallNumber.SchedOp;
            regs->Gpr[X86Reg.Rdi] = 2; // SCHEDOP_shutdown
            regs->Gpr[X86Reg.Rsi] = bss;
            vmcb->ExitCode = SvmExit.ExceptionBase + SvmEvent.VectorUd;
        });
        int status = b.Run("console=com1", (Pv64BuilderTests.Pv().Build(), "pv.elf console=hvc0"));
        Assert.That(status, Is.Zero, b.Console);
        Assert.That(b.Console, Does.Contain("(XEN) d0: PV64 kernel 'pv.elf' at 0xffffffff80100000"));
        Assert.That(b.Console, Does.Contain("(XEN) d0: command line 'console=hvc0'"));
        Assert.That(b.Cpu.LastEntry.Cs.Selector, Is.EqualTo((ushort)0xE033), "entered as a PV kernel");
        Assert.That(b.Cpu.LastEntry.Rip, Is.EqualTo(Pv64BuilderTests.EntryVa));
    }

    [Test]
    public void AnElf32PvKernelBootsAsAPv32Dom0AndShutsDownThroughInt82()
    {
        using var b = new Boot();
        ulong bss = Pv32BuilderTests.VirtBase + ElfWriter.DataBase + ElfWriter.DataFileSize; // zero: SHUTDOWN_poweroff
        Vmcb entry = default;
        b.Cpu.Steps.Enqueue((vmcb, regs) =>
        {
            entry = *vmcb;
            vmcb->Rip = Pv32BuilderTests.HypercallVa + (ulong)HypercallNumber.SchedOp * 32 + 5; // the slot's int $0x82
            vmcb->Rax = (ulong)HypercallNumber.SchedOp;
            regs->Gpr[X86Reg.Rbx] = 2; // SCHEDOP_shutdown
            regs->Gpr[X86Reg.Rcx] = bss;
            vmcb->ExitCode = SvmExit.Swint;
        });
        int status = b.Run("console=com1", (Pv32BuilderTests.Pv().Build(), "pv32.elf console=hvc0"));
        Assert.That(status, Is.Zero, b.Console);
        Assert.That(b.Console, Does.Contain("(XEN) d0: PV32 kernel 'pv32.elf' at 0x00000000c0100000"));
        Assert.That(entry.Cs.Selector, Is.EqualTo((ushort)0xE019), "entered as a ring-1 compat kernel");
        Assert.That(entry.Rip, Is.EqualTo((ulong)Pv32BuilderTests.EntryVa));
        Assert.That(entry.Cr4 & X86Bits.Cr4Pae, Is.Not.Zero);
    }

    [Test]
    public void ANonPaePv32KernelIsRefusedWithTheReason()
    {
        using var b = new Boot();
        var w = Pv32BuilderTests.Pv();
        w.Notes.RemoveAll(n => n.Type == XenElfNote.PaeMode);
        Assert.That(b.Run("", (w.Build(), "flat.elf")), Is.EqualTo(1), b.Console);
        Assert.That(b.Console, Does.Contain("(XEN) d0: refusing module 0 'flat.elf': 32-bit PV kernels must be PAE"));
    }

    [Test]
    public void ARefusedPvKernelIsNamedWithTheReason()
    {
        using var b = new Boot();
        var w = Pv64BuilderTests.Pv();
        w.Notes.RemoveAll(n => n.Type == XenElfNote.XenVersion);
        Assert.That(b.Run("", (w.Build(), "old.elf")), Is.EqualTo(1), b.Console);
        Assert.That(b.Console, Does.Contain("(XEN) d0: refusing module 0 'old.elf': XEN_VERSION note is not 'xen-3.0'"));
    }

    const ulong ZeroedGpa = 0x10000, PatternGpa = ElfWriter.DataBase;

    /// <summary>The guest's next exit: SCHEDOP_shutdown from 32-bit code with the reason read at <paramref name="reasonGpa"/>.</summary>
    static void ShutdownVia(Boot b, ulong reasonGpa)
    {
        b.Cpu.Steps.Enqueue((vmcb, regs) =>
        {
            vmcb->Rax = (ulong)HypercallNumber.SchedOp;
            regs->Gpr[X86Reg.Rbx] = 2; // SCHEDOP_shutdown
            regs->Gpr[X86Reg.Rcx] = reasonGpa;
            vmcb->ExitCode = SvmExit.Vmmcall;
        });
    }

    static int Occurrences(string text, string what)
    {
        int n = 0, i = 0;
        while ((i = text.IndexOf(what, i, StringComparison.Ordinal)) >= 0) { n++; i += what.Length; }
        return n;
    }
}

using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Sched;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Ends an HVM domain from inside an exit handler: a crash prints what the guest did (Xen's
/// domain_crash + register dump) and every end releases SVM state and destroys the domain, so
/// a guest that breaks hurts only itself.
/// </summary>
public static unsafe class DomainCrash
{
    static readonly string[] RegNames =
    {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    };

    public static SvmExitResult Crash(SvmHost host, Vcpu v, Vmcb* vmcb, string why)
    {
        Headline(host.Hv.Console, v, why);
        host.Hv.Console.Put((byte)'\n');
        return Dump(host, v, vmcb);
    }

    /// <summary>The same, with a number in the reason: "<paramref name="why"/> 0x<paramref name="value"/><paramref name="after"/>".</summary>
    public static SvmExitResult Crash(SvmHost host, Vcpu v, Vmcb* vmcb, string why, ulong value, string after)
    {
        HvConsole c = host.Hv.Console;
        Headline(c, v, why);
        c.Write(" ");
        c.WriteHex(value, 2);
        c.WriteLine(after);
        return Dump(host, v, vmcb);
    }

    static void Headline(HvConsole c, Vcpu v, string why)
    {
        c.Write("Domain ");
        c.WriteDec((ulong)v.Domain.Id);
        c.Write(" (vcpu#");
        c.WriteDec((ulong)v.Id);
        c.Write(") crashed: ");
        c.Write(why);
    }

    static SvmExitResult Dump(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        HvConsole c = host.Hv.Console;
        Field(c, "exitcode", vmcb->ExitCode); Field(c, "exitinfo1", vmcb->ExitInfo1);
        Field(c, "exitinfo2", vmcb->ExitInfo2); Field(c, "exitintinfo", vmcb->ExitIntInfo); c.Put((byte)'\n');
        Field(c, "rip", v.Regs.Ip); Field(c, "rflags", v.Regs.Flags); Field(c, "cpl", vmcb->Cpl);
        Field(c, "cs", vmcb->Cs.Selector); Field(c, "cs.attr", vmcb->Cs.Attrib); c.Put((byte)'\n');
        Field(c, "cr0", vmcb->Cr0); Field(c, "cr2", vmcb->Cr2); Field(c, "cr3", vmcb->Cr3);
        Field(c, "cr4", vmcb->Cr4); Field(c, "efer", vmcb->Efer); c.Put((byte)'\n');
        for (int i = 0; i < RegNames.Length; i++)
        {
            Field(c, RegNames[i], v.Regs[i]);
            if (i % 4 == 3) c.Put((byte)'\n');
        }
        return End(host, v.Domain, ShutdownReason.Crash);
    }

    /// <summary>
    /// Shuts the domain down as Xen's domain_shutdown does (the first code wins; the hardware
    /// domain stops the machine), then releases SVM state and destroys it at once.
    /// </summary>
    public static SvmExitResult End(SvmHost host, Domain d, int code)
    {
        DomainShutdown.Shutdown(d, (byte)code);
        SvmDomain.Destroy(host, d);
        host.Hv.DestroyDomain(d);
        return SvmExitResult.DomainGone;
    }

    static void Field(HvConsole c, string name, ulong value)
    {
        c.Write("  ");
        c.Write(name);
        c.Put((byte)' ');
        c.WriteHex(value);
    }
}

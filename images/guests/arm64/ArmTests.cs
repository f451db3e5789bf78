// What an arm64 guest sees of Xen beyond hypercalls (xen/arch/arm: traps.c,
// vsmc.c, vpsci.c, vtimer.c, vgic*.c, vpl011.c; public/arch-arm.h for the
// guest memory map and interrupt numbers).
namespace XenLite.Guest
{
    public static unsafe class ArmTests
    {
        public static readonly Test[] All =
        {
            new Test("arm.hvc_wrong_immediate_undefined", &HvcWrongImmediate),
            new Test("arm.unmapped_ipa_data_abort", &UnmappedIpa),
            new Test("arm.smccc_version_1_2", &SmcccVersion),
            new Test("arm.smccc_unknown_function", &SmcccUnknown),
            new Test("arm.psci_version_1_1", &PsciVersion),
            new Test("arm.psci_version_over_smc", &PsciVersionSmc),
            new Test("arm.psci_features", &PsciFeatures),
            new Test("arm.psci_affinity_info_self_on", &AffinitySelf),
            new Test("arm.psci_affinity_info_bad_level", &AffinityBadLevel),
            new Test("arm.psci_cpu_on_no_such_vcpu", &CpuOnNoSuchVcpu),
            new Test("arm.psci_cpu_on_self_already_on", &CpuOnSelf),
            new Test("arm.mpidr_is_vcpu0", &Mpidr),
            new Test("arm.virtual_counter_behind_physical", &VirtualCounter),
            new Test("arm.gic_distributor_version", &GicVersionMatches),
            new Test("arm.vpl011_ready_and_writes", &Vpl011),
            new Test("arm.vtimer_interrupt_ppi27", &VirtualTimerInterrupt),
            new Test("arm.hvc_round_trip_measured", &HvcRoundTrip),
        };

        const ulong Gicd = 0x03001000, Gicc = 0x03002000, Gicr0 = 0x03020000, Pl011 = 0x22000000;
        const ulong PsciVersionFid = 0x84000000, PsciFeaturesFid = 0x8400000A, AffinityInfo64 = 0xC4000004, CpuOn64 = 0xC4000003;
        const long PsciInvalidParameters = -2, PsciAlreadyOn = -4, NotSupported = -1;
        const uint EcUnknown = 0x00, EcDataAbortSameEl = 0x25;

        static FaultState* Fault => AsmArm.Fault();

        // traps.c do_trap_hypercall: an HVC immediate other than XEN_HYPERCALL_TAG (and 0, SMCCC) is an undefined instruction.
        static string HvcWrongImmediate()
        {
            ulong before = Fault->Count;
            if (AsmArm.HvcWrongImmediate() != 1) return "hvc #1 returned without an exception";
            string why = Expect.Equal((long)(Fault->Count - before), 1, "exceptions taken");
            why ??= Expect.Equal((long)(Fault->Esr >> 26), EcUnknown, "ESR_EL1.EC (unknown reason)");
            return why ?? Expect.True((Fault->Esr & (1UL << 25)) != 0, "ESR_EL1.IL not set");
        }

        // traps.c do_trap_stage2_abort_guest: a translation fault on an IPA with nothing behind it is injected as a data abort.
        static string UnmappedIpa()
        {
            const ulong Hole = 0x30000000;   // between GUEST_PL011 and GUEST_GNTTAB: no RAM, no device
            if (AsmArm.ProbeRead(Hole) != 1) return "the read did not fault";
            string why = Expect.Equal((long)(Fault->Esr >> 26), EcDataAbortSameEl, "ESR_EL1.EC (data abort, same EL)");
            return why ?? Expect.Equal((long)Fault->Far, (long)Hole, "FAR_EL1");
        }

        // vsmc.c handle_arch: SMCCC_VERSION is 1.2.
        static string SmcccVersion() => Expect.Equal(AsmArm.SmcccHvc(0x80000000, 0, 0, 0), 0x10002, "SMCCC_VERSION");

        // vsmc.c: an unhandled owner/function answers ARM_SMCCC_ERR_UNKNOWN_FUNCTION (-1).
        static string SmcccUnknown() => Expect.Equal(AsmArm.SmcccHvc(0x8200FF00, 0, 0, 0), NotSupported, "SiP call count");

        // vpsci.c do_psci_0_2_version: PSCI 1.1.
        static string PsciVersion() => Expect.Equal(AsmArm.SmcccHvc(PsciVersionFid, 0, 0, 0), 0x10001, "PSCI_VERSION");

        // HCR_EL2.TSC: SMC #0 reaches the same SMCCC handler.
        static string PsciVersionSmc() => Expect.Equal(AsmArm.SmcccSmc(PsciVersionFid, 0, 0, 0), 0x10001, "PSCI_VERSION via smc");

        // vpsci.c do_psci_1_0_features: CPU_ON (64) supported, an unassigned PSCI function not.
        static string PsciFeatures()
        {
            string why = Expect.Equal(AsmArm.SmcccHvc(PsciFeaturesFid, CpuOn64, 0, 0), 0, "FEATURES(CPU_ON64)");
            return why ?? Expect.Equal(AsmArm.SmcccHvc(PsciFeaturesFid, 0x8400001F, 0, 0), NotSupported, "FEATURES(0x8400001f)");
        }

        static ulong Affinity => AsmArm.Mpidr() & 0xFF00FFFFFFUL;

        static string AffinitySelf() => Expect.Equal(AsmArm.SmcccHvc(AffinityInfo64, Affinity, 0, 0), 0, "AFFINITY_INFO (ON = 0)");

        static string AffinityBadLevel() => Expect.Equal(AsmArm.SmcccHvc(AffinityInfo64, Affinity, 4, 0), PsciInvalidParameters, "level 4");

        // Aff0 = 7: no such vCPU in a one-vCPU domain.
        static string CpuOnNoSuchVcpu() => Expect.Equal(AsmArm.SmcccHvc(CpuOn64, 7, 0x40080000, 0), PsciInvalidParameters, "CPU_ON vCPU 7");

        static string CpuOnSelf() => Expect.Equal(AsmArm.SmcccHvc(CpuOn64, Affinity, 0x40080000, 0), PsciAlreadyOn, "CPU_ON self");

        // domain.c: vmpidr = MPIDR_SMP (bit 31) | the vCPU's affinity (vCPU 0: 0).
        static string Mpidr()
        {
            ulong m = AsmArm.Mpidr();
            string why = Expect.True((m & (1UL << 31)) != 0, "MPIDR bit 31 (RES1) clear");
            return why ?? Expect.Equal((long)(m & 0xFF00FFFFFFUL), 0, "vCPU 0 affinity");
        }

        // vtimer.c: CNTVOFF is the count when the domain was created, so the virtual count lags the physical one.
        static string VirtualCounter()
        {
            ulong v = AsmArm.Cntvct(), p = AsmArm.Cntpct();
            return Expect.True(v < p, "CNTVCT is not behind CNTPCT");
        }

        static int GicVersionFromTree()
        {
            if (Dt.FindCompatible(Entry.DeviceTree, "arm,gic-v3"u8, out _, out _)) return 3;
            if (Dt.FindCompatible(Entry.DeviceTree, "arm,gic-400"u8, out _, out _) || Dt.FindCompatible(Entry.DeviceTree, "arm,cortex-a15-gic"u8, out _, out _)) return 2;
            return 0;
        }

        // The emulated distributor's PIDR2.ArchRev is the version the device tree announces.
        static string GicVersionMatches()
        {
            int v = GicVersionFromTree();
            if (v == 0) return "no GIC in the device tree";
            uint pidr2 = AsmArm.Read32(Gicd + (v == 3 ? 0xFFE8UL : 0xFE8UL));
            return Expect.Equal((pidr2 >> 4) & 0xF, v, "GICD_PIDR2.ArchRev");
        }

        // vpl011.c with the back end in Xen: transmit always ready (TXFE set, TXFF clear); the line goes to Xen's console.
        static string Vpl011()
        {
            uint fr = AsmArm.Read32(Pl011 + 0x18);
            string why = Expect.True((fr & (1u << 7)) != 0 && (fr & (1u << 5)) == 0, "UARTFR: TXFE clear or TXFF set");
            if (why != null) return why;
            System.ReadOnlySpan<byte> line = "vpl011: hello from the guest\n"u8;
            for (int i = 0; i < line.Length; i++) AsmArm.Write32(Pl011, line[i]);
            return null;
        }

        // 2000 back-to-back xen_version(XENVER_version) calls timed with the virtual counter: one
        // "bench:" line for docs/performance.md (the counter runs at CNTFRQ, 62.5 MHz under QEMU).
        static string HvcRoundTrip()
        {
            const int Calls = 2000;
            ulong start = AsmArm.Cntvct();
            for (int i = 0; i < Calls; i++) Xen.Call(Hc.XenVersion, XenVer.Version, 0);
            ulong ticks = (AsmArm.Cntvct() - start) / Calls;
            ulong frequency = AsmArm.Cntfrq();
            Out.Add("bench: hvc round trip ");
            Out.AddDec((long)ticks);
            Out.Add(" ticks (");
            Out.AddDec((long)(frequency == 0 ? 0 : ticks * 1_000_000_000UL / frequency));
            Out.Add(" ns) over ");
            Out.AddDec(Calls);
            Out.Add(" calls");
            Out.End();
            return Expect.True(ticks > 0, "no time passed");
        }

        // vtimer.c/vgic: the virtual timer's PPI 27 reaches the guest through the (emulated) GIC when it fires.
        static string VirtualTimerInterrupt()
        {
            int v = GicVersionFromTree();
            if (v == 0) return "no GIC in the device tree";
            IrqState* irq = AsmArm.Irq();
            irq->GicVersion = (ulong)v;
            irq->GiccBase = Gicc;
            const uint Ppi27 = 1u << 27;
            if (v == 3)
            {
                AsmArm.Write32(Gicd, 0x12);                    // ARE, EnableGrp1
                AsmArm.Write32(Gicr0 + 0x14, 0);               // GICR_WAKER: wake
                ulong sgi = Gicr0 + 0x10000;
                AsmArm.Write32(sgi + 0x80, AsmArm.Read32(sgi + 0x80) | Ppi27);   // group 1
                AsmArm.Write32(sgi + 0x100, Ppi27);            // enable
                AsmArm.SetIccPmr(0xFF);
                AsmArm.SetIccIgrpen1(1);
            }
            else
            {
                AsmArm.Write32(Gicd, 1);
                AsmArm.Write32(Gicd + 0x100, Ppi27);
                AsmArm.Write32(Gicc + 0x4, 0xFF);              // GICC_PMR
                AsmArm.Write32(Gicc, 1);                       // GICC_CTLR
            }
            ulong before = irq->TimerCount;
            ulong frequency = AsmArm.Cntfrq();
            AsmArm.SetCntvTval(frequency / 1000);              // 1 ms
            AsmArm.SetCntvCtl(1);
            ulong deadline = AsmArm.Cntvct() + frequency;      // give up after 1 s
            // IRQs stay masked while the count is tested: an interrupt taken between the test and
            // a plain WFI would leave the WFI nothing to wake for (the vCPU would sleep for ever).
            while (irq->TimerCount == before && AsmArm.Cntvct() < deadline) AsmArm.WaitForIrq();
            AsmArm.SetCntvCtl(0);
            string why = Expect.Equal((long)(irq->TimerCount - before), 1, "timer interrupts taken");
            return why ?? Expect.Equal((long)irq->LastIntid, 27, "INTID acknowledged");
        }
    }
}

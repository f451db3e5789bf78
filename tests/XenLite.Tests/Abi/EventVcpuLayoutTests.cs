// Sizes, offsets and field sizes below were computed by clang from Xen's public event_channel.h,
// vcpu.h and hvm/hvm_vcpu.h (xen-project/xen master, interface version 0x00041300) for x86_64,
// i386 (the 32-bit compat layout) and aarch64. The event-channel structs, vcpu_register_vcpu_info,
// vcpu_get_physid, vcpu_set_periodic_timer and the registration areas are the same on all three;
// vcpu_runstate_info and vcpu_set_singleshot_timer differ on x86_32 and have Compat variants.
using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common.Events;

namespace XenLite.Tests.Abi;

[Category("abi")]
public class EventVcpuLayoutTests
{
    // struct evtchn_alloc_unbound (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnAllocUnboundLayout() => LayoutAssert.Matches<EvtchnAllocUnbound>(8,
        ("Dom", 0, 2),
        ("RemoteDom", 2, 2),
        ("Port", 4, 4));

    // struct evtchn_bind_interdomain (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnBindInterdomainLayout() => LayoutAssert.Matches<EvtchnBindInterdomain>(12,
        ("RemoteDom", 0, 2),
        ("RemotePort", 4, 4),
        ("LocalPort", 8, 4));

    // struct evtchn_bind_virq (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnBindVirqLayout() => LayoutAssert.Matches<EvtchnBindVirq>(12,
        ("Virq", 0, 4),
        ("Vcpu", 4, 4),
        ("Port", 8, 4));

    // struct evtchn_bind_pirq (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnBindPirqLayout() => LayoutAssert.Matches<EvtchnBindPirq>(12,
        ("Pirq", 0, 4),
        ("Flags", 4, 4),
        ("Port", 8, 4));

    // struct evtchn_bind_ipi (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnBindIpiLayout() => LayoutAssert.Matches<EvtchnBindIpi>(8,
        ("Vcpu", 0, 4),
        ("Port", 4, 4));

    // struct evtchn_close (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnPortArgLayout() => LayoutAssert.Matches<EvtchnPortArg>(4,
        ("Port", 0, 4));

    // struct evtchn_bind_vcpu (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnBindVcpuLayout() => LayoutAssert.Matches<EvtchnBindVcpu>(8,
        ("Port", 0, 4),
        ("Vcpu", 4, 4));

    // struct evtchn_reset (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnResetLayout() => LayoutAssert.Matches<EvtchnReset>(2,
        ("Dom", 0, 2));

    // struct evtchn_init_control (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnInitControlLayout() => LayoutAssert.Matches<EvtchnInitControl>(24,
        ("ControlGfn", 0, 8),
        ("Offset", 8, 4),
        ("Vcpu", 12, 4),
        ("LinkBits", 16, 1),
        ("Pad", 17, 7));

    // struct evtchn_expand_array (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnExpandArrayLayout() => LayoutAssert.Matches<EvtchnExpandArray>(8,
        ("ArrayGfn", 0, 8));

    // struct evtchn_set_priority (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnSetPriorityLayout() => LayoutAssert.Matches<EvtchnSetPriority>(8,
        ("Port", 0, 4),
        ("Priority", 4, 4));

    // struct evtchn_fifo_control_block (x86_64, x86_32, arm64)
    [Test]
    public void EvtchnFifoControlBlockLayout() => LayoutAssert.Matches<EvtchnFifoControlBlock>(72,
        ("Ready", 0, 4),
        ("Rsvd", 4, 4),
        ("Head", 8, 64));

    // struct vcpu_runstate_info (x86_64, arm64)
    [Test]
    public void VcpuRunstateInfoLayout() => LayoutAssert.Matches<VcpuRunstateInfo>(48,
        ("State", 0, 4),
        ("StateEntryTime", 8, 8),
        ("Time", 16, 32));

    // struct vcpu_register_runstate_memory_area (x86_64, x86_32, arm64)
    [Test]
    public void VcpuRegisterMemoryAreaLayout() => LayoutAssert.Matches<VcpuRegisterMemoryArea>(8,
        ("Addr", 0, 8));

    // struct vcpu_set_periodic_timer (x86_64, x86_32, arm64)
    [Test]
    public void VcpuSetPeriodicTimerLayout() => LayoutAssert.Matches<VcpuSetPeriodicTimer>(8,
        ("PeriodNs", 0, 8));

    // struct vcpu_set_singleshot_timer (x86_64, arm64)
    [Test]
    public void VcpuSetSingleshotTimerLayout() => LayoutAssert.Matches<VcpuSetSingleshotTimer>(16,
        ("TimeoutAbsNs", 0, 8),
        ("Flags", 8, 4));

    // struct vcpu_register_vcpu_info (x86_64, x86_32, arm64)
    [Test]
    public void VcpuRegisterVcpuInfoLayout() => LayoutAssert.Matches<VcpuRegisterVcpuInfo>(16,
        ("Mfn", 0, 8),
        ("Offset", 8, 4),
        ("Rsvd", 12, 4));

    // struct vcpu_get_physid (x86_64, x86_32, arm64)
    [Test]
    public void VcpuGetPhysidLayout() => LayoutAssert.Matches<VcpuGetPhysid>(8,
        ("PhysId", 0, 8));

    // struct vcpu_hvm_x86_32 (x86_64, x86_32)
    [Test]
    public void VcpuHvmX86_32Layout() => LayoutAssert.Matches<VcpuHvmX86_32>(120,
        ("Eax", 0, 4),
        ("Ecx", 4, 4),
        ("Edx", 8, 4),
        ("Ebx", 12, 4),
        ("Esp", 16, 4),
        ("Ebp", 20, 4),
        ("Esi", 24, 4),
        ("Edi", 28, 4),
        ("Eip", 32, 4),
        ("Eflags", 36, 4),
        ("Cr0", 40, 4),
        ("Cr3", 44, 4),
        ("Cr4", 48, 4),
        ("Pad1", 52, 4),
        ("Efer", 56, 8),
        ("CsBase", 64, 4),
        ("DsBase", 68, 4),
        ("SsBase", 72, 4),
        ("EsBase", 76, 4),
        ("TrBase", 80, 4),
        ("CsLimit", 84, 4),
        ("DsLimit", 88, 4),
        ("SsLimit", 92, 4),
        ("EsLimit", 96, 4),
        ("TrLimit", 100, 4),
        ("CsAr", 104, 2),
        ("DsAr", 106, 2),
        ("SsAr", 108, 2),
        ("EsAr", 110, 2),
        ("TrAr", 112, 2),
        ("Pad2", 114, 6));

    // struct vcpu_hvm_x86_64 (x86_64, x86_32)
    [Test]
    public void VcpuHvmX86_64Layout() => LayoutAssert.Matches<VcpuHvmX86_64>(112,
        ("Rax", 0, 8),
        ("Rcx", 8, 8),
        ("Rdx", 16, 8),
        ("Rbx", 24, 8),
        ("Rsp", 32, 8),
        ("Rbp", 40, 8),
        ("Rsi", 48, 8),
        ("Rdi", 56, 8),
        ("Rip", 64, 8),
        ("Rflags", 72, 8),
        ("Cr0", 80, 8),
        ("Cr3", 88, 8),
        ("Cr4", 96, 8),
        ("Efer", 104, 8));

    // struct vcpu_runstate_info (x86_32)
    [Test]
    public void VcpuRunstateInfoCompatLayout() => LayoutAssert.Matches<VcpuRunstateInfoCompat>(44,
        ("State", 0, 4),
        ("StateEntryTime", 4, 8),
        ("Time", 12, 32));

    // struct vcpu_set_singleshot_timer (x86_32)
    [Test]
    public void VcpuSetSingleshotTimerCompatLayout() => LayoutAssert.Matches<VcpuSetSingleshotTimerCompat>(12,
        ("TimeoutAbsNs", 0, 8),
        ("Flags", 8, 4));

    // struct evtchn_status; u.unbound.dom and u.interdomain.dom at 16, u.pirq/u.virq at 16, u.interdomain.port at 20
    [Test]
    public void EvtchnStatusLayout() => LayoutAssert.Matches<EvtchnStatus>(24,
        ("Dom", 0, 2),
        ("Port", 4, 4),
        ("Status", 8, 4),
        ("Vcpu", 12, 4),
        ("RemoteDom", 16, 2),
        ("Irq", 16, 4),
        ("RemotePort", 20, 4));

    // struct evtchn_op (the compat hypercall's argument): cmd, then the union
    [Test]
    public void EvtchnOpLayout() => LayoutAssert.Matches<EvtchnOp>(28,
        ("Cmd", 0, 4),
        ("U", 4, 24));

    // struct vcpu_hvm_context (x86_64 and x86_32 alike)
    [Test]
    public void VcpuHvmContextLayout() => LayoutAssert.Matches<VcpuHvmContext>(128,
        ("Mode", 0, 4),
        ("Pad", 4, 4),
        ("X86_32", 8, 120),
        ("X86_64", 8, 112));

    [Test]
    public void SharedLayoutOffsetsMatchTheSharedInfoStructs()
    {
        Assert.That(SharedLayout.X86_64.EvtchnMask, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<SharedInfoX86_64>("EvtchnMask")));
        Assert.That(SharedLayout.X86_32.EvtchnMask, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<SharedInfoX86_32>("EvtchnMask")));
        Assert.That(SharedLayout.Arm64.EvtchnMask, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<SharedInfoArm64>("EvtchnMask")));
        Assert.That(SharedLayout.Arm64.EvtchnPending, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<SharedInfoArm64>("EvtchnPending")));
        Assert.That(SharedLayout.X86_64.WcVersion, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<SharedInfoX86_64>("WcVersion")));
        Assert.That(SharedLayout.X86_32.WcVersion, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<SharedInfoX86_32>("WcVersion")));
        Assert.That(SharedLayout.Arm64.WcVersion, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<SharedInfoArm64>("WcVersion")));
        Assert.That(SharedLayout.X86_64.WcSecHi, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<SharedInfoX86_64>("WcSecHi")));
        Assert.That(SharedLayout.X86_32.WcSecHi, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<SharedInfoX86_32>("Arch") + (int)System.Runtime.InteropServices.Marshal.OffsetOf<ArchSharedInfoX86_32>("WcSecHi")));
        Assert.That(SharedLayout.Arm64.WcSecHi, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<SharedInfoArm64>("WcSecHi")));
        Assert.That(SharedLayout.X86_64.PendingSel, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<VcpuInfoX86_64>("EvtchnPendingSel")));
        Assert.That(SharedLayout.X86_32.PendingSel, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<VcpuInfoX86_32>("EvtchnPendingSel")));
        Assert.That(SharedLayout.Arm64.PendingSel, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<VcpuInfoArm64>("EvtchnPendingSel")));
        Assert.That(SharedLayout.X86_64.Time, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<VcpuInfoX86_64>("Time")));
        Assert.That(SharedLayout.X86_32.Time, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<VcpuInfoX86_32>("Time")));
        Assert.That(SharedLayout.Arm64.Time, Is.EqualTo((int)System.Runtime.InteropServices.Marshal.OffsetOf<VcpuInfoArm64>("Time")));
        Assert.That(SharedLayout.Arm64.VcpuInfoSize, Is.EqualTo(System.Runtime.CompilerServices.Unsafe.SizeOf<VcpuInfoArm64>()));
    }

    [Test]
    public void FifoConstants()
    {
        Assert.That((EvtchnFifo.Pending, EvtchnFifo.Masked, EvtchnFifo.Linked, EvtchnFifo.Busy), Is.EqualTo((31, 30, 29, 28)));
        Assert.That((EvtchnFifo.LinkBits, EvtchnFifo.NrChannels, EvtchnFifo.MaxArrayPages), Is.EqualTo((17, 131072u, 128u)));
        Assert.That((EvtchnFifo.PriorityMax, EvtchnFifo.PriorityDefault, EvtchnFifo.PriorityMin), Is.EqualTo((0u, 7u, 15u)));
    }
}

using System.Runtime.InteropServices;
using NUnit.Framework;
using XenLite.Hv.Arch.X86;

namespace XenLite.Tests.Arch.X86;

/// <summary>Every VMCB field at the offset AMD APM vol. 2 appendix B gives it.</summary>
[Category("svm")]
public class VmcbLayoutTests
{
    [TestCase(nameof(Vmcb.CrIntercepts), 0x000)]
    [TestCase(nameof(Vmcb.DrIntercepts), 0x004)]
    [TestCase(nameof(Vmcb.ExceptionIntercepts), 0x008)]
    [TestCase(nameof(Vmcb.Intercepts1), 0x00C)]
    [TestCase(nameof(Vmcb.Intercepts2), 0x010)]
    [TestCase(nameof(Vmcb.Intercepts3), 0x014)]
    [TestCase(nameof(Vmcb.PauseFilterThreshold), 0x03C)]
    [TestCase(nameof(Vmcb.PauseFilterCount), 0x03E)]
    [TestCase(nameof(Vmcb.IopmBasePa), 0x040)]
    [TestCase(nameof(Vmcb.MsrpmBasePa), 0x048)]
    [TestCase(nameof(Vmcb.TscOffset), 0x050)]
    [TestCase(nameof(Vmcb.Asid), 0x058)]
    [TestCase(nameof(Vmcb.TlbControl), 0x05C)]
    [TestCase(nameof(Vmcb.VIntr), 0x060)]
    [TestCase(nameof(Vmcb.InterruptShadow), 0x068)]
    [TestCase(nameof(Vmcb.ExitCode), 0x070)]
    [TestCase(nameof(Vmcb.ExitInfo1), 0x078)]
    [TestCase(nameof(Vmcb.ExitInfo2), 0x080)]
    [TestCase(nameof(Vmcb.ExitIntInfo), 0x088)]
    [TestCase(nameof(Vmcb.NpControl), 0x090)]
    [TestCase(nameof(Vmcb.EventInj), 0x0A8)]
    [TestCase(nameof(Vmcb.NCr3), 0x0B0)]
    [TestCase(nameof(Vmcb.VirtExt), 0x0B8)]
    [TestCase(nameof(Vmcb.CleanBits), 0x0C0)]
    [TestCase(nameof(Vmcb.NextRip), 0x0C8)]
    [TestCase(nameof(Vmcb.GuestInsnLen), 0x0D0)]
    [TestCase(nameof(Vmcb.Es), 0x400)]
    [TestCase(nameof(Vmcb.Cs), 0x410)]
    [TestCase(nameof(Vmcb.Ss), 0x420)]
    [TestCase(nameof(Vmcb.Ds), 0x430)]
    [TestCase(nameof(Vmcb.Fs), 0x440)]
    [TestCase(nameof(Vmcb.Gs), 0x450)]
    [TestCase(nameof(Vmcb.Gdtr), 0x460)]
    [TestCase(nameof(Vmcb.Ldtr), 0x470)]
    [TestCase(nameof(Vmcb.Idtr), 0x480)]
    [TestCase(nameof(Vmcb.Tr), 0x490)]
    [TestCase(nameof(Vmcb.Cpl), 0x4CB)]
    [TestCase(nameof(Vmcb.Efer), 0x4D0)]
    [TestCase(nameof(Vmcb.Cr4), 0x548)]
    [TestCase(nameof(Vmcb.Cr3), 0x550)]
    [TestCase(nameof(Vmcb.Cr0), 0x558)]
    [TestCase(nameof(Vmcb.Dr7), 0x560)]
    [TestCase(nameof(Vmcb.Dr6), 0x568)]
    [TestCase(nameof(Vmcb.Rflags), 0x570)]
    [TestCase(nameof(Vmcb.Rip), 0x578)]
    [TestCase(nameof(Vmcb.Rsp), 0x5D8)]
    [TestCase(nameof(Vmcb.Rax), 0x5F8)]
    [TestCase(nameof(Vmcb.Star), 0x600)]
    [TestCase(nameof(Vmcb.Lstar), 0x608)]
    [TestCase(nameof(Vmcb.Cstar), 0x610)]
    [TestCase(nameof(Vmcb.Sfmask), 0x618)]
    [TestCase(nameof(Vmcb.KernelGsBase), 0x620)]
    [TestCase(nameof(Vmcb.SysenterCs), 0x628)]
    [TestCase(nameof(Vmcb.SysenterEsp), 0x630)]
    [TestCase(nameof(Vmcb.SysenterEip), 0x638)]
    [TestCase(nameof(Vmcb.Cr2), 0x640)]
    [TestCase(nameof(Vmcb.GPat), 0x668)]
    [TestCase(nameof(Vmcb.DebugCtl), 0x670)]
    public void FieldOffsetMatchesTheApm(string field, int offset) =>
        Assert.That((int)Marshal.OffsetOf<Vmcb>(field), Is.EqualTo(offset));

    [TestCase(nameof(VmcbSegment.Selector), 0)]
    [TestCase(nameof(VmcbSegment.Attrib), 2)]
    [TestCase(nameof(VmcbSegment.Limit), 4)]
    [TestCase(nameof(VmcbSegment.Base), 8)]
    public void SegmentFieldOffsetMatchesTheApm(string field, int offset) =>
        Assert.That((int)Marshal.OffsetOf<VmcbSegment>(field), Is.EqualTo(offset));

    [Test]
    public unsafe void SizesAreOnePageAndSixteenBytes()
    {
        Assert.That(sizeof(Vmcb), Is.EqualTo(4096));
        Assert.That(sizeof(VmcbSegment), Is.EqualTo(16));
    }

    [Test]
    public void EventInjectionEncoding()
    {
        Assert.That(SvmEvent.Exception(SvmEvent.VectorUd), Is.EqualTo(0x8000_0306UL));
        Assert.That(SvmEvent.Exception(SvmEvent.VectorGp, 0), Is.EqualTo(0x8000_0B0DUL));
        Assert.That(SvmEvent.Exception(SvmEvent.VectorGp, 0x18), Is.EqualTo(0x0000_0018_8000_0B0DUL));
    }
}

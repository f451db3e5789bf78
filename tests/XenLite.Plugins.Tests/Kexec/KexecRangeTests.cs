using NUnit.Framework;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;
using XenLite.Hv.Common.Memory;
using XenLite.Plugin.Kexec;

namespace XenLite.Plugins.Tests.Kexec;

[Category("kexec_op")]
public class KexecRangeTests
{
    [Test]
    public void CrashAreaIsEmptyWithoutCrashkernel()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Range(KexecRange.Crash, 0, out var r), Is.EqualTo(0));
        Assert.That((r.Start, r.Size), Is.EqualTo((0UL, 0UL)));
    }

    [Test]
    public void CrashAreaIsTheReservedRunOwnedByXen()
    {
        using var rig = new KexecRig(cmdline: "console=com1 crashkernel=256K");
        Assert.That(rig.Range(KexecRange.Crash, 0, out var r), Is.EqualTo(0));
        Assert.That(r.Size, Is.EqualTo(256UL << 10));
        Assert.That(r.Start & Page.Mask, Is.EqualTo(0));
        for (ulong a = r.Start; a < r.Start + r.Size; a += Page.Size)
            Assert.That(rig.M.Hv.Memory.OwnerOf(new Maddr(a).Frame), Is.EqualTo((ushort)DomainIds.Xen));
    }

    [Test]
    public void XenRangeComesFromTheHandoff()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Range(KexecRange.Xen, 0, out var r), Is.EqualTo(0));
        Assert.That((r.Start, r.Size), Is.EqualTo((rig.Handoff.Start, rig.Handoff.Size)));
    }

    [Test]
    public void XenRangeIsEmptyWhenTheMachineCannotHandOver()
    {
        using var rig = new KexecRig(handoff: false);
        Assert.That(rig.Range(KexecRange.Xen, 0, out var r), Is.EqualTo(0));
        Assert.That((r.Start, r.Size), Is.EqualTo((0UL, 0UL)));
    }

    [Test]
    public void VmcoreinfoIsOneXenPageNotedAfterTheFirstLoad()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Range(KexecRange.Vmcoreinfo, 0, out var r), Is.EqualTo(0));
        Assert.That(r.Size, Is.EqualTo(4096UL));
        Assert.That(rig.M.Hv.Memory.OwnerOf(new Maddr(r.Start).Frame), Is.EqualTo((ushort)DomainIds.Xen));
        Assert.That(rig.MachineBytes(r.Start, 4), Is.EqualTo(new byte[4]), "no note before a load");

        Assert.That(rig.Load(KexecType.Default, 0x100_0000, ElfMachine.X86_64), Is.EqualTo(0));
        var note = rig.MachineBytes(r.Start, 64);
        Assert.That(System.BitConverter.ToUInt32(note, 0), Is.EqualTo(15u), "namesz of VMCOREINFO_XEN");
        Assert.That(System.Text.Encoding.ASCII.GetString(note, 12, 14), Is.EqualTo("VMCOREINFO_XEN"));
        Assert.That(System.Text.Encoding.ASCII.GetString(note, 28, 14), Is.EqualTo("PAGESIZE=4096\n"));
    }

    [Test]
    public void CpuNotesNeedACrashArea()
    {
        using var rig = new KexecRig();
        Assert.That(rig.Range(KexecRange.Cpu, 0, out _), Is.EqualTo(-Errno.EINVAL));
    }

    [TestCase(-1)]
    [TestCase(KexecState.NrCpuIds)]
    public void CpuNumberOutOfRangeIsErange(int nr)
    {
        using var rig = new KexecRig(cmdline: "crashkernel=64K");
        Assert.That(rig.Range(KexecRange.Cpu, nr, out _), Is.EqualTo(-Errno.ERANGE));
    }

    [Test]
    public void CpuNotesCarryCoreAndXenNotes()
    {
        using var rig = new KexecRig(cmdline: "crashkernel=64K");
        Assert.That(rig.Range(KexecRange.Cpu, 0, out var cpu0), Is.EqualTo(0));
        Assert.That(rig.Range(KexecRange.Cpu, 1, out var cpu1), Is.EqualTo(0));
        Assert.That(cpu0.Size, Is.EqualTo(500UL), "PRSTATUS + crash regs + crash info");
        Assert.That(cpu1.Size, Is.EqualTo(404UL), "PRSTATUS + crash regs");
        Assert.That(cpu0.Start, Is.Not.EqualTo(cpu1.Start));
        var head = rig.MachineBytes(cpu0.Start, 20);
        Assert.That(System.BitConverter.ToUInt32(head, 4), Is.EqualTo(336u));
        Assert.That(System.BitConverter.ToUInt32(head, 8), Is.EqualTo(1u), "NT_PRSTATUS");
        Assert.That(System.Text.Encoding.ASCII.GetString(head, 12, 4), Is.EqualTo("CORE"));
        // Asking again answers the same buffer.
        Assert.That(rig.Range(KexecRange.Cpu, 0, out var again), Is.EqualTo(0));
        Assert.That(again.Start, Is.EqualTo(cpu0.Start));
    }

    [TestCase(KexecRange.Xenheap)]
    [TestCase(KexecRange.BootParam)]
    [TestCase(KexecRange.EfiMemmap)]
    [TestCase(7)]
    [TestCase(-1)]
    public void RangesX86DoesNotHaveAreEinvalAndLeaveTheArgument(int range)
    {
        using var rig = new KexecRig();
        Assert.That(rig.Range(range, 0, out var r), Is.EqualTo(-Errno.EINVAL));
        Assert.That((r.Start, r.Size), Is.EqualTo((0xBBBBUL, 0xAAAAUL)));
    }

    [Test]
    public void CompatCallersGetThe32BitLayout()
    {
        using var rig = new KexecRig(GuestMode.Pv32, cmdline: "crashkernel=64K");
        rig.M.PokeStruct(rig.Dom0, KexecRig.ArgGpa, new KexecRangeArgCompat { Range = KexecRange.Crash });
        rig.M.PokeStruct(rig.Dom0, KexecRig.ArgGpa + 16, 0xDEADBEEFu);
        Assert.That(rig.Op(KexecCmd.GetRange), Is.EqualTo(0));
        var r = rig.M.PeekStruct<KexecRangeArgCompat>(rig.Dom0, KexecRig.ArgGpa);
        Assert.That(r.Size, Is.EqualTo(64u << 10));
        Assert.That((ulong)r.Start, Is.EqualTo(rig.State.CrashStart));
        Assert.That(rig.M.PeekStruct<uint>(rig.Dom0, KexecRig.ArgGpa + 16), Is.EqualTo(0xDEADBEEFu), "nothing written past 16 bytes");
    }

    [Test]
    public void CompatCallersGetErangeRatherThanATruncatedAddress()
    {
        using var rig = new KexecRig(GuestMode.Pv32);
        rig.Handoff.Start = 0x1_0000_0000;
        rig.M.PokeStruct(rig.Dom0, KexecRig.ArgGpa, new KexecRangeArgCompat { Range = KexecRange.Xen, Start = 7 });
        Assert.That(rig.Op(KexecCmd.GetRange), Is.EqualTo(-Errno.ERANGE));
        Assert.That(rig.M.PeekStruct<KexecRangeArgCompat>(rig.Dom0, KexecRig.ArgGpa).Start, Is.EqualTo(7u));
    }
}

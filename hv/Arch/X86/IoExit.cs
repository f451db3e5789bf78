using XenLite.Hv.Common;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// IN/OUT exits. Guests own no devices: the debug console ports print, a byte read of 0xe9
/// answers 0xe9 (the Bochs "port e9 hack" Xen follows), every other read is all ones and every
/// other write is dropped. String I/O (INS/OUTS) is not emulated: #UD.
/// The one exception: the hardware domain owns the second UART (COM2, 0x2f8-0x2ff), as Xen's
/// dom0 owns every port but its console UART's; its byte accesses reach the real port (forwarded
/// here, since all guests share one I/O permission map). The dom0 agent takes policies from it.
/// </summary>
public static unsafe class IoExit
{
    // EXITINFO1 (APM 15.10.2): TYPE (1 = IN) bit 0, STR 2, REP 3, SZ8/16/32 bits 4-6, port 16-31.
    const ulong In = 1, Str = 1 << 2;
    const int SizeShift = 4;
    public const ushort Com2Base = 0x2F8, Com2Ports = 8;

    public static SvmExitResult Handle(SvmHost host, Vcpu v, Vmcb* vmcb)
    {
        ulong info = vmcb->ExitInfo1;
        if ((info & Str) != 0) return GuestState.InjectUd(vmcb);
        ushort port = (ushort)(info >> 16);
        int size = (int)((info >> SizeShift) & 7); // 1, 2 or 4
        ulong mask = size == 1 ? 0xFFUL : size == 2 ? 0xFFFFUL : 0xFFFF_FFFFUL;

        if (size == 1 && v.Domain.IsHardware && port >= Com2Base && port < Com2Base + Com2Ports)
        {
            if ((info & In) != 0) v.Regs[X86Reg.Rax] = (v.Regs[X86Reg.Rax] & ~0xFFUL) | host.Cpu.InB(port);
            else host.Cpu.OutB(port, (byte)v.Regs[X86Reg.Rax]);
        }
        else if ((info & In) != 0)
        {
            ulong value = size == 1 && port == DebugConsole.Port ? DebugConsole.Port : mask;
            ulong rax = v.Regs[X86Reg.Rax];
            // A 32-bit IN writes EAX and so clears the upper half; narrower ones merge.
            v.Regs[X86Reg.Rax] = size == 4 ? value : (rax & ~mask) | value;
        }
        else if (size == 1 && DebugConsole.Claims(port))
        {
            DebugConsole.Put(v.Domain, (byte)v.Regs[X86Reg.Rax]);
        }

        // The CPU reports the next instruction's address for I/O exits, even without next-RIP save.
        GuestState.SetRip(v, vmcb, vmcb->ExitInfo2);
        return SvmExitResult.Resume;
    }
}

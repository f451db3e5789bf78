// kexec's exec on the PC (hv/Common/ImageHandoff.cs): the plan and the
// relocation stub (handoff.S) go into the control page, which no segment
// covers, and the stub copies every page into place and jumps to the entry.
//
// Entry state (an EM_386 image, as Xen's x86 kexec gives a 32-bit one): flat
// 32-bit protected mode, paging and long mode off, CS = 0x08 (base 0, limit
// 4 GiB, code), DS = ES = SS = FS = GS = 0x10 (flat data), interrupts off, EBP
// = the entry, all other general registers 0 (no stack: ESP = 0). GDTR points
// into the control page and IDTR still at the old hypervisor's table: the
// image loads its own before it needs either. The LAPIC timer may still be
// armed; its interrupt stays pending while IF = 0.
//
// Left out: EM_X86_64 images (Xen enters them in long mode on identity page
// tables, which need more than the one control page): -EOPNOTSUPP. Plans
// longer than the control page holds: -ENOMEM (Xen chains indirection pages).
using System.Runtime;
using System.Runtime.CompilerServices;
using XenLite.Hv.Abi;
using XenLite.Hv.Common;

namespace XenLite.Image
{
    public sealed unsafe class PcHandoff : ImageHandoff
    {
        const int PlanOffset = 512;          // the stub in handoff.S is about 200 bytes
        const int EntryBytes = 24;
        const int MaxSteps = (4096 - PlanOffset) / EntryBytes;
        const ushort EmI386 = 3;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "xl_handoff")]
        static extern void Enter(ulong control, ulong plan, ulong count, ulong entry);

        readonly Platform _console;

        public PcHandoff(Platform console) => _console = console;

        public override ulong ImageStart => (ulong)XenLite.Boot.Image.Start();
        public override ulong ImageSize => (ulong)(XenLite.Boot.Image.End() - XenLite.Boot.Image.Start());

        public override int Replace(ulong entryMaddr, ushort elfMachine, HandoffPage[] pages, int count, ulong controlMaddr)
        {
            if (elfMachine != EmI386) return -Errno.EOPNOTSUPP;
            if (count > MaxSteps) return -Errno.ENOMEM;
            ulong* plan = (ulong*)(controlMaddr + PlanOffset);
            for (int i = 0; i < count; i++)
            {
                plan[i * 3] = pages[i].Dest;
                plan[i * 3 + 1] = pages[i].Source;
                plan[i * 3 + 2] = pages[i].Pages;
            }
            Say("(XEN) kexec: handing the machine to the image at 0x");
            for (int s = 28; s >= 0; s -= 4) _console.ConsoleWrite((byte)"0123456789abcdef"[(int)(entryMaddr >> s) & 15]);
            Say("\n");
            Enter(controlMaddr, (ulong)plan, (ulong)count, entryMaddr);
            return -Errno.EIO;   // not reached
        }

        void Say(string s)
        {
            for (int i = 0; i < s.Length; i++) _console.ConsoleWrite((byte)s[i]);
        }
    }
}

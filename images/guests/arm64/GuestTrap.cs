// An exception the guest did not expect (vectors.S with no probe armed) ends
// the run as a failure a person can act on: one FAIL line with ESR, FAR and
// ELR, then the verdict. Resolve elr with llvm-symbolizer --obj=<guest>.elf.
using System.Runtime;

namespace XenLite.Guest
{
    public static unsafe class GuestTrap
    {
        [RuntimeExport("guest_trap")]
        static void Handle(ulong esr, ulong far, ulong elr, ulong spsr)
        {
            Out.Add("FAIL guest: exception class ");
            Out.AddHex(esr >> 26);
            Out.Add(" esr ");
            Out.AddHex(esr);
            Out.Add(" far ");
            Out.AddHex(far);
            Out.Add(" elr ");
            Out.AddHex(elr);
            Out.End();
            Suite.Failed++;
            Guest.Finish(false);
        }
    }
}

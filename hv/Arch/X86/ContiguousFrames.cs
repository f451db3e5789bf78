using XenLite.Hv.Common.Memory;

namespace XenLite.Hv.Arch.X86;

/// <summary>
/// Physically contiguous frames for the I/O and MSR permission maps, which SVM reads as one
/// block. MachineMemory hands out single frames in ascending order from a hint, so at boot a
/// short run of allocations is contiguous; frames that break a run are given back.
/// </summary>
public static class ContiguousFrames
{
    const int MaxAttempts = 64;

    /// <returns>The first of <paramref name="count"/> consecutive frames, or Mfn.Invalid.</returns>
    public static Mfn Allocate(MachineMemory mem, ushort owner, ulong count)
    {
        ulong[] taken = new ulong[MaxAttempts];
        ulong n = 0, runStart = 0, runLength = 0;
        Mfn result = Mfn.Invalid;
        while (n < (ulong)taken.Length)
        {
            Mfn f = mem.Allocate(owner);
            if (!f.IsValid) break;
            taken[n++] = f.Value;
            if (runLength != 0 && f.Value == runStart + runLength) runLength++;
            else { runStart = f.Value; runLength = 1; }
            if (runLength == count) { result = new Mfn(runStart); break; }
        }
        for (ulong i = 0; i < n; i++)
        {
            bool inRun = result.IsValid && taken[i] >= runStart && taken[i] < runStart + count;
            if (!inRun) mem.Free(new Mfn(taken[i]));
        }
        return result;
    }
}

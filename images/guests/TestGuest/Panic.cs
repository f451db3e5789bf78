// A runtime panic (bounds, null, cast, out of memory) ends the run as a
// failure a person can act on: one FAIL line with the runtime's message, then
// the verdict.
using System.Runtime;

namespace XenLite.Guest
{
    public static unsafe class Panic
    {
        [RuntimeExport("xl_panic")]
        static void RuntimePanic(char* message, int length, char* detail, int detailLength)
        {
            Out.Add("FAIL guest: runtime panic: ");
            for (int i = 0; i < length; i++) Out.Add((byte)message[i]);
            if (detailLength > 0) Out.Add(": ");
            for (int i = 0; i < detailLength; i++) Out.Add((byte)detail[i]);
            Out.End();
            Suite.Failed++;
            Guest.Finish(false);
        }
    }
}

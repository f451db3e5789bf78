using System.Text;
using XenLite.Hv.Common;

namespace XenLite.Tests.Harness;

/// <summary>The hosted machine: a settable clock, a captured console, scripted preemption.</summary>
public sealed class FakePlatform : Platform
{
    readonly StringBuilder _console = new();

    public ulong Now;
    /// <summary>Preemption becomes pending after this many checks (int.MaxValue: never).</summary>
    public int PreemptAfterChecks = int.MaxValue;
    public int PreemptChecks;
    public int? PowerOffStatus;
    /// <summary>Drop console bytes instead of capturing them (the capture itself allocates; see NoAllocTests).</summary>
    public bool DiscardConsole;

    public string ConsoleText => _console.ToString();

    public override ulong NowNs() => Now;

    public override void ConsoleWrite(byte b) { if (!DiscardConsole) _console.Append((char)b); }

    public override bool PreemptPending() => ++PreemptChecks > PreemptAfterChecks;

    public override void PowerOff(int status) => PowerOffStatus = status;
}

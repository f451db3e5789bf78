using System;
using Jint;

namespace XenLite.Policy;

/// <summary>
/// The Jint engine policies run in: no CLR access (interop is never enabled), strict mode, modules
/// only from the policy's own directory, and limits on statements, time, memory, recursion and
/// the host stack, so a hostile or buggy script fails with an error instead of hanging the toolstack.
/// </summary>
public static class Sandbox
{
    public const int MaxStatements = 2_000_000;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    public const long MaxMemory = 256L << 20;
    public const int MaxRecursion = 256;
    public const int MaxExecutionStack = 512;

    public static Engine Create(string baseDirectory) => new(options =>
    {
        options.Strict();
        options.EnableModules(baseDirectory, restrictToBasePath: true);
        options.MaxStatements(MaxStatements);
        options.TimeoutInterval(Timeout);
        options.LimitMemory(MaxMemory);
        options.LimitRecursion(MaxRecursion);
        options.Constraints.MaxExecutionStackCount = MaxExecutionStack;
        options.DisableStringCompilation();
    });
}

using BenchmarkDotNet.Running;

namespace XenLite.Bench;

static class Program
{
    static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

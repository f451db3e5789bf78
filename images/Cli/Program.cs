using System;

namespace XenLite.Cli;

static class Program
{
    static int Main(string[] args) => Xenlite.Run(args, Console.Out, Console.Error);
}

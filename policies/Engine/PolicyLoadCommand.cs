using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using XenLite.Flask;

namespace XenLite.Policy;

/// <summary>
/// `xenlite policy load &lt;policy&gt; --to &lt;channel&gt;`: sends a compiled policy to a running image
/// over a host channel (a QEMU chardev: a unix socket, or a pty/pipe/device path) where the dom0
/// policy agent loads it with FLASK_LOAD, then waits for the agent's answer line.
/// Frame: "XLPL", u32 length, u32 CRC-32 of the payload (little-endian), the payload.
/// Answer: "XLPL-ACK &lt;rc&gt;" (FLASK_LOAD's result) or "XLPL-NAK &lt;reason&gt;" (frame refused).
/// The blob is sent as it is: the hypervisor is the judge of its contents.
/// </summary>
public static class PolicyLoadCommand
{
    public static ReadOnlySpan<byte> Magic => "XLPL"u8;
    const int DefaultTimeoutSeconds = 30;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string input = null, to = null;
        int timeout = DefaultTimeoutSeconds;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--to" && i + 1 < args.Length) to = args[++i];
            else if (args[i] == "--timeout" && i + 1 < args.Length && int.TryParse(args[++i], out int t) && t > 0) timeout = t;
            else if (input == null && !args[i].StartsWith('-')) input = args[i];
            else return Usage(stderr, $"load: unexpected '{args[i]}'");
        }
        if (input == null || to == null) return Usage(stderr, "load needs <policy> --to <socket|pty>");

        byte[] blob;
        if (input.EndsWith(".js", StringComparison.Ordinal))
        {
            CompiledPolicy cp = Compiler.Compile(input);
            foreach (var d in cp.Diagnostics) stderr.Write(d + "\n");
            if (cp.Diagnostics.Count > 0) return PolicyCommand.Failed;
            blob = cp.Blob;
        }
        else blob = File.ReadAllBytes(input);

        string answer;
        try { answer = Exchange(to, Frame(blob), TimeSpan.FromSeconds(timeout)); }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or UnauthorizedAccessException)
        {
            stderr.Write($"xenlite policy: load: {to}: {e.Message}\n");
            return PolicyCommand.Failed;
        }
        if (answer == "XLPL-ACK 0")
        {
            stdout.Write($"{input}: {blob.Length} bytes loaded (FLASK_LOAD 0)\n");
            return PolicyCommand.Ok;
        }
        if (answer.StartsWith("XLPL-ACK ", StringComparison.Ordinal) && int.TryParse(answer.AsSpan(9), out int rc))
            stderr.Write($"xenlite policy: load: {input}: the hypervisor refused it: FLASK_LOAD {rc}{ErrnoName(rc)}; the previous policy stays in force\n");
        else
            stderr.Write($"xenlite policy: load: {input}: the agent answered '{answer}'\n");
        return PolicyCommand.Failed;
    }

    public static byte[] Frame(byte[] blob)
    {
        var frame = new byte[12 + blob.Length];
        Magic.CopyTo(frame);
        BitConverter.TryWriteBytes(frame.AsSpan(4), (uint)blob.Length);
        BitConverter.TryWriteBytes(frame.AsSpan(8), Crc32.Compute(blob, blob.Length));
        blob.CopyTo(frame, 12);
        return frame;
    }

    static string Exchange(string to, byte[] frame, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        Stream stream = OpenChannel(to);
        try
        {
            stream.WriteAsync(frame, cancel.Token).AsTask().GetAwaiter().GetResult();
            stream.Flush();
            return ReadLine(stream, "XLPL-", cancel.Token);
        }
        catch (OperationCanceledException) { throw new TimeoutException($"no answer from the policy agent within {timeout.TotalSeconds:F0} s"); }
        finally { stream.Dispose(); }
    }

    /// <summary>A unix socket (QEMU's `-serial unix:…,server=on`) when it is one, else the path opened as a file (pty, pipe).</summary>
    static Stream OpenChannel(string to)
    {
        if (!File.Exists(to)) throw new IOException("no such socket or device");
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            s.Connect(new UnixDomainSocketEndPoint(to));
            return new NetworkStream(s, ownsSocket: true);
        }
        catch (SocketException)
        {
            s.Dispose();
            return new FileStream(to, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.Asynchronous);
        }
    }

    /// <summary>The first line starting with <paramref name="prefix"/> (anything before it is the channel's noise).</summary>
    static string ReadLine(Stream stream, string prefix, CancellationToken cancel)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            int n = stream.ReadAsync(one, cancel).AsTask().GetAwaiter().GetResult();
            if (n == 0) throw new IOException("the channel closed before the agent answered");
            char c = (char)one[0];
            if (c == '\n')
            {
                string s = line.ToString().TrimEnd('\r');
                if (s.StartsWith(prefix, StringComparison.Ordinal)) return s;
                line.Clear();
            }
            else line.Append(c);
        }
    }

    static string ErrnoName(int rc) => rc switch
    {
        -1 => " (EPERM)", -13 => " (EACCES)", -14 => " (EFAULT)", -22 => " (EINVAL)", -38 => " (ENOSYS)", _ => "",
    };

    static int Usage(TextWriter stderr, string message)
    {
        stderr.Write($"xenlite policy: {message}\n");
        stderr.Write(PolicyCommand.UsageText);
        return PolicyCommand.Usage;
    }
}

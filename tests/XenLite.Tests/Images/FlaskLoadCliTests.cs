using System;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using NUnit.Framework;
using XenLite.Policy;

namespace XenLite.Tests.Images;

/// <summary>`xenlite policy load` against a stand-in for the dom0 policy agent on a unix socket:
/// the frame it sends (magic, length, CRC-32, blob) and how it reports each answer.</summary>
[Category("flask")]
public class FlaskLoadCliTests
{
    string _dir, _socket, _blob;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("xl-load-").FullName;
        _socket = Path.Combine(_dir, "com2");
        _blob = Path.Combine(_dir, "p.bin");
        File.WriteAllBytes(_blob, new byte[] { 1, 2, 3, 4, 5 });
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>Accepts one connection, reads one frame, answers <paramref name="answer"/> after some noise.</summary>
    Task<byte[]> Agent(string answer)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_socket));
        listener.Listen(1);
        return Task.Run(() =>
        {
            using (listener)
            using (var s = new NetworkStream(listener.Accept(), ownsSocket: true))
            {
                var head = new byte[12];
                s.ReadExactly(head);
                var frame = new byte[12 + BitConverter.ToUInt32(head, 4)];
                head.CopyTo(frame, 0);
                s.ReadExactly(frame.AsSpan(12));
                s.Write("boot noise\r\n"u8);
                s.Write(System.Text.Encoding.ASCII.GetBytes(answer + "\n"));
                return frame;
            }
        });
    }

    int Load(out string stdout, out string stderr, params string[] extra)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        string[] args = ["load", _blob, "--to", _socket, "--timeout", "5", .. extra];
        int rc = PolicyCommand.Run(args, TextReader.Null, o, e);
        stdout = o.ToString();
        stderr = e.ToString();
        return rc;
    }

    [Test]
    public void SendsOneFrameAndReportsTheLoad()
    {
        var agent = Agent("XLPL-ACK 0");
        Assert.That(Load(out string stdout, out _), Is.EqualTo(PolicyCommand.Ok));
        byte[] frame = agent.Result;
        Assert.That(frame[..4], Is.EqualTo("XLPL"u8.ToArray()));
        Assert.That(BitConverter.ToUInt32(frame, 4), Is.EqualTo(5));
        Assert.That(BitConverter.ToUInt32(frame, 8), Is.EqualTo(0x470B99F4u), "CRC-32 (IEEE) of 01 02 03 04 05");
        Assert.That(frame[12..], Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
        Assert.That(stdout, Does.EndWith("p.bin: 5 bytes loaded (FLASK_LOAD 0)\n"));
    }

    [Test]
    public void ARefusalIsAFailureNamingTheErrno()
    {
        var agent = Agent("XLPL-ACK -22");
        Assert.That(Load(out _, out string stderr), Is.EqualTo(PolicyCommand.Failed));
        agent.Wait();
        Assert.That(stderr, Does.Contain("the hypervisor refused it: FLASK_LOAD -22 (EINVAL); the previous policy stays in force"));
    }

    [Test]
    public void AFrameTheAgentRefusesIsAFailure()
    {
        var agent = Agent("XLPL-NAK bad-crc");
        Assert.That(Load(out _, out string stderr), Is.EqualTo(PolicyCommand.Failed));
        agent.Wait();
        Assert.That(stderr, Does.Contain("the agent answered 'XLPL-NAK bad-crc'"));
    }

    [Test]
    public void NoChannelIsAFailureAndNoTargetIsAUsageError()
    {
        Assert.That(Load(out _, out string stderr), Is.EqualTo(PolicyCommand.Failed));
        Assert.That(stderr, Does.Contain("no such socket or device"));
        var e = new StringWriter();
        Assert.That(PolicyCommand.Run(["load", _blob], TextReader.Null, TextWriter.Null, e), Is.EqualTo(PolicyCommand.Usage));
        Assert.That(e.ToString(), Does.Contain("load needs <policy> --to <socket|pty>"));
    }
}

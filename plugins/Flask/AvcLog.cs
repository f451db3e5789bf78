using System;
using XenLite.Hv.Common;

namespace XenLite.Flask;

/// <summary>
/// AVC audit lines on the hypervisor console:
/// <c>avc: denied { perm … } for domid=N scontext=system_u:system_r:T tcontext=… tclass=C</c>.
/// A guest can provoke denials at will, so lines are rate-limited: a burst per time window, then
/// one line saying how many were suppressed when the next window opens.
/// </summary>
public sealed class AvcLog
{
    public const int LineMax = 512;
    public const int Burst = 10;
    public const ulong WindowNs = 5_000_000_000;

    readonly byte[] _line = new byte[LineMax];
    ulong _windowStart;
    int _inWindow;
    uint _suppressed;

    /// <summary>Lines written and suppressed since boot (tests and debug keys read these).</summary>
    public ulong Written;
    public ulong Suppressed;

    public void Audit(HvConsole console, ulong nowNs, FlaskPolicy policy, bool denied, uint perms, int cls, int domid, uint ssid, uint tsid)
    {
        if (nowNs - _windowStart >= WindowNs)
        {
            _windowStart = nowNs;
            _inWindow = 0;
            if (_suppressed != 0)
            {
                console.Write("avc: ");
                console.WriteDec((ulong)_suppressed);
                console.WriteLine(" messages suppressed");
                _suppressed = 0;
            }
        }
        if (_inWindow >= Burst)
        {
            _suppressed++;
            Suppressed++;
            return;
        }
        _inWindow++;
        Written++;
        int n = Format(_line, policy, denied, perms, cls, domid, ssid, tsid);
        for (int i = 0; i < n; i++) console.Put(_line[i]);
    }

    /// <summary>Writes one audit line (with its newline) into <paramref name="buf"/>; returns its length.</summary>
    public static int Format(byte[] buf, FlaskPolicy policy, bool denied, uint perms, int cls, int domid, uint ssid, uint tsid)
    {
        int n = 0;
        n = Put(buf, n, denied ? "avc: denied { " : "avc: granted { ");
        string names = FlaskSchema.PermissionNames(cls);
        for (int bit = 0; bit < 32; bit++)
        {
            if ((perms & (1u << bit)) == 0) continue;
            n = PutNth(buf, n, names, bit);
            n = Put(buf, n, " ");
        }
        n = Put(buf, n, "} for domid=");
        n = PutDec(buf, n, domid);
        n = Put(buf, n, " scontext=system_u:system_r:");
        n = PutBytes(buf, n, policy.TypeName(ssid));
        n = Put(buf, n, " tcontext=system_u:system_r:");
        n = PutBytes(buf, n, policy.TypeName(tsid));
        n = Put(buf, n, " tclass=");
        n = PutNth(buf, n, FlaskSchema.ClassNames, cls);
        if (n < buf.Length) buf[n++] = (byte)'\n';
        return n;
    }

    static int Put(byte[] buf, int n, string s)
    {
        for (int i = 0; i < s.Length && n < buf.Length - 1; i++) buf[n++] = (byte)s[i];
        return n;
    }

    static int PutBytes(byte[] buf, int n, ReadOnlySpan<byte> s)
    {
        for (int i = 0; i < s.Length && n < buf.Length - 1; i++) buf[n++] = s[i];
        return n;
    }

    /// <summary>Copies the index-th name of a NUL-separated list.</summary>
    static int PutNth(byte[] buf, int n, string names, int index)
    {
        int i = 0;
        for (int k = 0; k < index && i < names.Length; i++)
            if (names[i] == '\0') k++;
        for (; i < names.Length && names[i] != '\0' && n < buf.Length - 1; i++) buf[n++] = (byte)names[i];
        return n;
    }

    static int PutDec(byte[] buf, int n, int value)
    {
        if (value < 0) { if (n < buf.Length - 1) buf[n++] = (byte)'-'; value = -value; }
        int start = n;
        do
        {
            if (n >= buf.Length - 1) break;
            buf[n++] = (byte)('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (int a = start, b = n - 1; a < b; a++, b--) { byte t = buf[a]; buf[a] = buf[b]; buf[b] = t; }
        return n;
    }
}

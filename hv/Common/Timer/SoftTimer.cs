namespace XenLite.Hv.Common.Timer;

/// <summary>
/// A one-shot timer in hypervisor time (Xen's struct timer): armed with an absolute expiry in
/// nanoseconds since boot, it fires once when a tick finds that time reached, then disarms.
/// Expiry is signed like Xen's s_time_t, so a deadline already in the past fires at the next tick.
/// </summary>
public struct SoftTimer
{
    public bool Active;
    public long Expires;

    public void Set(long expires)
    {
        Active = true;
        Expires = expires;
    }

    public void Stop() => Active = false;

    /// <summary>True exactly once when the timer is armed and <paramref name="now"/> has reached its expiry.</summary>
    public bool Expire(long now)
    {
        if (!Active || Expires > now) return false;
        Active = false;
        return true;
    }
}

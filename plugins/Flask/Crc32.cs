using System;

namespace XenLite.Flask;

/// <summary>CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320): the blob's corruption check.</summary>
public static class Crc32
{
    /// <summary>CRC of <paramref name="data"/>, reading the 4 bytes at <paramref name="skip"/> as zero.</summary>
    public static uint Compute(ReadOnlySpan<byte> data, int skip)
    {
        uint crc = 0xFFFFFFFF;
        for (int i = 0; i < data.Length; i++)
        {
            byte b = i >= skip && i < skip + 4 ? (byte)0 : data[i];
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320 & (0u - (crc & 1)));
        }
        return ~crc;
    }
}

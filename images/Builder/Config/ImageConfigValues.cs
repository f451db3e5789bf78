using System;

using System.Globalization;

namespace XenLite.ImageBuilder.Config;

/// <summary>Value syntaxes the config accepts beyond what the binder converts.</summary>
public static class ImageConfigValues
{
    /// <summary>A decimal number or a "0x" hexadecimal one.</summary>
    public static bool TryParseAddress(string text, out ulong value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text)) return false;
        if (text.StartsWith("0x") || text.StartsWith("0X"))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}

namespace Gpunet.Core.Identity;

/// <summary>The shape shared by the ids of hosts and leases: a prefix and 12 lowercase hex digits.</summary>
internal static class PrefixedHexId
{
    public const int Digits = 12;

    public static bool IsValid(string? text, string prefix)
    {
        if (text is null || text.Length != prefix.Length + Digits || !text.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        foreach (var c in text.AsSpan(prefix.Length))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                return false;
        }

        return true;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gpunet.Core.Compliance;

/// <summary>Signs and verifies a KYC vendor's webhooks, Stripe-style:
/// header <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>.</summary>
/// <remarks>Several <c>v1</c> entries are allowed so the vendor can sign with an old and a new secret while the secret
/// rotates; one match is enough. Other schemes (e.g. <c>v0</c>) are ignored. Replays within the tolerance are not
/// detected here: the caller stores event ids.</remarks>
public static class WebhookSignature
{
    /// <summary>How far the signed timestamp may be from now, either way, unless the caller says otherwise: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const int SignatureHexLength = 2 * HMACSHA256.HashSizeInBytes;

    /// <summary>The header value signing <paramref name="body"/> at <paramref name="unixSeconds"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixSeconds);
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(secret, t, body, mac);
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>Checks the signature <paramref name="header"/> of <paramref name="body"/> (the raw bytes, as received).</summary>
    /// <param name="now">The current instant.</param>
    /// <param name="tolerance">How far the signed timestamp may be from <paramref name="now"/>, either way.</param>
    /// <remarks>The signature is checked before the time, so <see cref="WebhookVerdict.Stale"/> means a genuine but
    /// late (or early) message. Signatures are compared in constant time.</remarks>
    public static WebhookVerdict Verify(
        ReadOnlySpan<byte> secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero);
        if (string.IsNullOrWhiteSpace(header))
            return WebhookVerdict.Missing;
        if (!TryParse(header, out var t, out var unixSeconds, out var signatures))
            return WebhookVerdict.Malformed;

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(secret, t, body, expected);
        var matched = false;
        foreach (var signature in signatures)
            matched |= CryptographicOperations.FixedTimeEquals(expected, signature);
        if (!matched)
            return WebhookVerdict.BadSignature;

        // Int128: an absurd timestamp must not overflow into "fresh".
        var skewMilliseconds = Int128.Abs((Int128)now.ToUnixTimeMilliseconds() - ((Int128)unixSeconds * 1000));
        return skewMilliseconds > (Int128)tolerance.TotalMilliseconds ? WebhookVerdict.Stale : WebhookVerdict.Valid;
    }

    private static void Mac(ReadOnlySpan<byte> secret, string t, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(Encoding.ASCII.GetBytes(t + "."));
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }

    // t is kept as written: the MAC covers the timestamp's text, and only plain digits are accepted.
    private static bool TryParse(string header, out string t, out long unixSeconds, out List<byte[]> signatures)
    {
        t = "";
        unixSeconds = 0;
        signatures = [];
        var seenTime = false;
        foreach (var part in header.Split(','))
        {
            var item = part.Trim();
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                return false;
            var key = item[..eq];
            var value = item[(eq + 1)..];
            if (key == "t")
            {
                if (seenTime || value.Length is 0 or > 19
                    || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out unixSeconds))
                    return false;
                seenTime = true;
                t = value;
            }
            else if (key == "v1")
            {
                if (value.Length != SignatureHexLength || !value.All(char.IsAsciiHexDigit))
                    return false;
                signatures.Add(Convert.FromHexString(value));
            }
        }

        return seenTime && signatures.Count > 0;
    }
}

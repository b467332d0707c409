using System.Globalization;
using System.Text;

namespace Gpunet.Core.Identity;

/// <summary>The exact text a participant signs: a fixed header, then one <c>key: value</c> line per field.</summary>
/// <remarks>
/// The text is what is signed (EIP-191 <c>personal_sign</c>), so any wallet can sign it and anyone can
/// verify it later. Every message names its <see cref="Purpose"/> and <see cref="Network"/> so a signature
/// for one purpose or network cannot be replayed for another, and carries a nonce and a UTC timestamp so
/// the receiver can refuse replays and stale messages. Extra fields are sorted by key; keys and values may
/// not contain line breaks, so two different messages never produce the same text.
/// </remarks>
public sealed class CanonicalMessage
{
    /// <summary>First line of every signed message.</summary>
    public const string Header = "Gpunet signed message v1";

    private CanonicalMessage(string purpose, string network, Address address, string nonce, DateTimeOffset timestamp, string text)
    {
        Purpose = purpose;
        Network = network;
        Address = address;
        Nonce = nonce;
        Timestamp = timestamp;
        Text = text;
    }

    public string Purpose { get; }
    public string Network { get; }
    public Address Address { get; }
    public string Nonce { get; }

    /// <summary>When the signer made the message, UTC, whole seconds.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The text that is signed.</summary>
    public string Text { get; }

    /// <summary>Builds the canonical text. Throws <see cref="ArgumentException"/> on a line break or an empty part.</summary>
    public static CanonicalMessage Create(
        string purpose,
        string network,
        Address address,
        string nonce,
        DateTimeOffset timestamp,
        IEnumerable<KeyValuePair<string, string>>? fields = null)
    {
        Check(purpose, nameof(purpose));
        Check(network, nameof(network));
        Check(nonce, nameof(nonce));
        var ts = DateTimeOffset.FromUnixTimeSeconds(timestamp.ToUnixTimeSeconds());
        var sb = new StringBuilder(256)
            .Append(Header).Append('\n')
            .Append("purpose: ").Append(purpose).Append('\n')
            .Append("network: ").Append(network).Append('\n')
            .Append("address: ").Append(address.Value).Append('\n')
            .Append("nonce: ").Append(nonce).Append('\n')
            .Append("timestamp: ").Append(ts.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        if (fields is not null)
        {
            foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                Check(key, "field key");
                if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
                    throw new ArgumentException($"field '{key}' may not contain a line break");
                if (key is "purpose" or "network" or "address" or "nonce" or "timestamp")
                    throw new ArgumentException($"field '{key}' is reserved");
                sb.Append('\n').Append(key).Append(": ").Append(value);
            }
        }

        return new CanonicalMessage(purpose, network, address, nonce, ts, sb.ToString());
    }

    private static void Check(string value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{what} is required");
        if (value.AsSpan().IndexOfAny('\n', '\r', ':') >= 0 && what != "nonce")
            throw new ArgumentException($"{what} may not contain ':' or a line break");
        if (value.AsSpan().IndexOfAny('\n', '\r') >= 0)
            throw new ArgumentException($"{what} may not contain a line break");
    }

    public override string ToString() => Text;
}

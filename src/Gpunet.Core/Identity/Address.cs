using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gpunet.Core.Identity;

/// <summary>An Ethereum-style wallet address: <c>0x</c> and 40 hex digits, stored lower-case.</summary>
/// <remarks>Every participant (host operator, checker, customer) is identified by one.</remarks>
public readonly record struct Address
{
    private readonly string? _value;

    private Address(string value) => _value = value;

    /// <summary>The canonical lower-case form, e.g. <c>0x52908400098527886e0f7030069857d2e4169ee7</c>.</summary>
    public string Value => _value ?? throw new InvalidOperationException("Default Address has no value.");

    /// <summary>Parses an address, or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Address Parse(string text)
    {
        if (!TryParse(text, out var address, out var error))
            throw new FormatException(error);
        return address;
    }

    public static bool TryParse(string? text, out Address address) => TryParse(text, out address, out _);

    public static bool TryParse(string? text, out Address address, [NotNullWhen(false)] out string? error)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "an address is required (0x followed by 40 hex digits)";
            return false;
        }

        var t = text.Trim();
        if (t.Length != 42 || !t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{Clip(t)}' is not an address: expected 0x followed by 40 hex digits";
            return false;
        }

        foreach (var c in t.AsSpan(2))
        {
            if (!char.IsAsciiHexDigit(c))
            {
                error = $"'{Clip(t)}' is not an address: '{c}' is not a hex digit";
                return false;
            }
        }

        address = new Address("0x" + t[2..].ToLower(CultureInfo.InvariantCulture));
        error = null;
        return true;
    }

    private static string Clip(string s) => s.Length <= 50 ? s : s[..47] + "...";

    public override string ToString() => Value;
}

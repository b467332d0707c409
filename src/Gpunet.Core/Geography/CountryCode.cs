using System.Diagnostics.CodeAnalysis;

namespace Gpunet.Core.Geography;

/// <summary>An officially assigned ISO 3166-1 alpha-2 country code, stored upper-case (e.g. <c>DE</c>).</summary>
/// <remarks>Only codes in <see cref="Countries"/> parse; <c>de</c> and <c> DE </c> parse as <c>DE</c>.</remarks>
public readonly record struct CountryCode
{
    private readonly string? _value;

    private CountryCode(string value) => _value = value;

    /// <summary>The upper-case two-letter code.</summary>
    public string Value => _value ?? throw new InvalidOperationException("Default CountryCode has no value.");

    /// <summary>The English short name, e.g. <c>Germany</c>.</summary>
    public string Name => Countries.Name(Value)!;

    /// <summary>Parses a country code, or throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static CountryCode Parse(string text)
    {
        if (!TryParse(text, out var code, out var error))
            throw new FormatException(error);
        return code;
    }

    public static bool TryParse(string? text, out CountryCode code) => TryParse(text, out code, out _);

    public static bool TryParse(string? text, out CountryCode code, [NotNullWhen(false)] out string? error)
    {
        code = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a country code is required: two letters (ISO 3166-1 alpha-2)";
            return false;
        }

        var t = text.Trim();
        if (t.Length != 2 || !char.IsAsciiLetter(t[0]) || !char.IsAsciiLetter(t[1]))
        {
            error = $"'{Clip(t)}' is not a country code: expected two letters (ISO 3166-1 alpha-2)";
            return false;
        }

        var upper = t.ToUpperInvariant();
        if (!Countries.IsKnown(upper))
        {
            error = $"unknown country code '{upper}'";
            return false;
        }

        code = new CountryCode(upper);
        error = null;
        return true;
    }

    private static string Clip(string s) => s.Length <= 50 ? s : s[..47] + "...";

    public override string ToString() => Value;
}

using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator;

/// <summary>Reads an address or a token amount a client sent exactly as the OpenAPI document describes it
/// (<see cref="ApiPatterns"/>): nothing around it, no more whole digits than the pattern allows. The core's parsers are
/// kinder to people at a terminal (they trim, and read <c>.5</c> and leading zeros); the CLI sends what they read in
/// the API's form.</summary>
internal static partial class ApiInput
{
    /// <summary>An address as <see cref="ApiPatterns.Address"/> has it; else false and why.</summary>
    public static bool TryAddress(string? text, out Address address, [NotNullWhen(false)] out string? error)
    {
        if (!Address.TryParse(text, out address, out error))
            return false;
        if (Whole(AddressForm(), text!))
            return true;
        error = $"'{Clip(text!)}' is not an address: expected 0x followed by 40 hex digits, with nothing around them";
        return false;
    }

    /// <summary>An amount as <see cref="ApiPatterns.TokenAmount"/> has it; else false and why.</summary>
    public static bool TryAmount(string? text, out TokenAmount amount, [NotNullWhen(false)] out string? error)
    {
        if (!TokenAmount.TryParse(text, out amount, out error))
            return false;
        if (Whole(AmountForm(), text!))
            return true;
        error = $"'{Clip(text!)}' is not an amount as the API takes it: 1 to 11 digits, then an optional '.' and up to 8 decimals, e.g. 1.5";
        return false;
    }

    /// <summary>Whether <paramref name="form"/> matches the whole of <paramref name="text"/>: .NET's <c>$</c> also matches
    /// before a final newline, which the document's pattern (ECMAScript's) does not allow.</summary>
    public static bool Whole(Regex form, string text) => form.Match(text) is { Success: true } m && m.Length == text.Length;

    private static string Clip(string s) => s.Length <= 60 ? s : s[..57] + "...";

    [GeneratedRegex(ApiPatterns.Address)]
    private static partial Regex AddressForm();

    [GeneratedRegex(ApiPatterns.TokenAmount)]
    private static partial Regex AmountForm();
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gpunet.Core.Ledger;

/// <summary>A transfer's client-chosen 128-bit idempotency id, written as 32 lower-case hex digits.</summary>
/// <remarks>Zero is reserved (no transfer has it). A store keeps it as two 64-bit integers, <see cref="High"/> and <see cref="Low"/>.</remarks>
public readonly record struct TransferId(UInt128 Value)
{
    /// <summary>The id made of two 64-bit halves.</summary>
    public static TransferId FromParts(ulong high, ulong low) => new(new UInt128(high, low));

    public ulong High => (ulong)(Value >> 64);

    public ulong Low => (ulong)Value;

    /// <summary>Parses 32 hex digits (either case); throws <see cref="FormatException"/> otherwise.</summary>
    public static TransferId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a transfer id: expected 32 hex digits");

    public static bool TryParse([NotNullWhen(true)] string? text, out TransferId id)
    {
        id = default;
        if (text is null || text.Length != 32)
            return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }

        id = new TransferId(UInt128.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return true;
    }

    public override string ToString() => Value.ToString("x32", CultureInfo.InvariantCulture);
}

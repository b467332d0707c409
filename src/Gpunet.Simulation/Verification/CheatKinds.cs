using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Gpunet.Simulation.Verification;

/// <summary>Cheat kinds as <c>gpunet sim --cheat-mix</c> spells them: kebab-case, comma-separated.</summary>
public static partial class CheatKinds
{
    private static readonly CheatKind[] Cheats = Enum.GetValues<CheatKind>().Where(k => k != CheatKind.None).ToArray();

    /// <summary>A kind's flag name, e.g. <c>weaker-card</c>.</summary>
    public static string Name(CheatKind kind) => Words().Replace(kind.ToString(), "$1-$2").ToLowerInvariant();

    /// <summary>The list as the flag takes it.</summary>
    public static string Format(IEnumerable<CheatKind> kinds) => string.Join(",", kinds.Select(Name));

    /// <summary>Parses a comma-separated list, or says which name is unknown.</summary>
    public static bool TryParseList(string text, [NotNullWhen(true)] out IReadOnlyList<CheatKind>? kinds, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<CheatKind>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var kind = Array.Find(Cheats, k => string.Equals(Name(k), part, StringComparison.OrdinalIgnoreCase));
            if (kind == CheatKind.None)
            {
                (kinds, error) = (null, $"--cheat-mix: unknown cheat '{part}'; known: {Format(Cheats)}");
                return false;
            }

            list.Add(kind);
        }

        if (list.Count == 0)
        {
            (kinds, error) = (null, $"--cheat-mix needs at least one of {Format(Cheats)}");
            return false;
        }

        (kinds, error) = (list, null);
        return true;
    }

    /// <summary>Parses a list known to be valid (<see cref="TryParseList"/>); unknown names are left out.</summary>
    public static IReadOnlyList<CheatKind> ParseList(string text) => TryParseList(text, out var kinds, out _) ? kinds : [];

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex Words();
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gpunet.Agent.Workloads;

/// <summary>The host ports the agent gives leases, <c>FIRST-LAST</c> inclusive: a session's or service's own port, and
/// the port a container's service port is published on.</summary>
/// <param name="First">The lowest port, 1..65535.</param>
/// <param name="Last">The highest port, at least <paramref name="First"/>.</param>
public readonly record struct LeasePortRange(int First, int Last)
{
    /// <summary>30000-30999: above the well-known and registered services most hosts run, below Linux's ephemeral
    /// ports (32768 and up), and within the range Kubernetes uses for the same purpose.</summary>
    public static LeasePortRange Default { get; } = new(30000, 30999);

    /// <summary>How many ports the range holds.</summary>
    public int Count => Last - First + 1;

    /// <summary>Parses <c>FIRST-LAST</c> (or a single port); on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out LeasePortRange? range, out string error)
    {
        range = null;
        var parts = (text ?? "").Split('-');
        if (parts.Length is < 1 or > 2 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            error = $"'{text}' is not a port range (FIRST-LAST, e.g. 30000-30999)";
            return false;
        }

        var first = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var last = int.Parse(parts[^1], CultureInfo.InvariantCulture);
        if (first is < 1 or > 65535 || last is < 1 or > 65535 || last < first)
        {
            error = $"'{text}': ports are 1..65535 and the first is not above the last";
            return false;
        }

        range = new LeasePortRange(first, last);
        error = "";
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}

namespace Gpunet.Core.Verification;

/// <summary>The kinds of check, as they appear on the wire and in the API.</summary>
public static class CheckKind
{
    /// <summary>Is the host there: round trips from each checker to its probe endpoint, every minute.</summary>
    public const string Liveness = "liveness";

    /// <summary>Quality of service while the host serves a lease: round trip and throughput, every minute.</summary>
    public const string Service = "service";

    /// <summary>Are its GPUs what it claims: a seeded product on every GPU, verified by Freivalds' algorithm and timed.</summary>
    public const string Capacity = "capacity";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Liveness, Service, Capacity];

    /// <summary>Whether <paramref name="kind"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? kind) => kind is Liveness or Service or Capacity;
}

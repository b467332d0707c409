namespace Gpunet.Coordinator.Storage;

/// <summary>A customer's sign-in challenge, open until it is answered, replaced or expires: in the shared store so any
/// coordinator of the network can take the answer, and only one of them can use it.</summary>
internal sealed class SignInChallengeRecord
{
    /// <summary>The single-use nonce, 64 hex characters drawn from a CSPRNG.</summary>
    public required string Nonce { get; set; }

    /// <summary>The wallet address it was issued to, lowercase.</summary>
    public required string Address { get; set; }
    public required string Purpose { get; set; }
    public required string Network { get; set; }

    /// <summary>The client that asked for it (<c>ClientSource</c>: an IPv4 address or an IPv6 /64), whose open
    /// challenges are bounded.</summary>
    public required string Source { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace Gpunet.Coordinator.Auth;

/// <summary>Who may sign in and how: the network's name in every signature, the operator's token, token and challenge lifetimes, sign-in limits. Bound from the <c>Coordinator</c> section, keys as named here.</summary>
public sealed class AccessOptions
{
    /// <summary>Names the network inside every signed message, so signatures cannot be replayed across networks.</summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,31}$", ErrorMessage = "NetworkId: lower-case letters, digits and '-', at most 32")]
    public string NetworkId { get; set; } = "gpunet-local";

    /// <summary>Operator token (<c>gpa_…</c>); generated and printed at start when not given. Give every coordinator of
    /// a network the same one.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Lifetime of a customer's bearer token. Default 15 min.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a sign-in challenge can be answered. Default 2 min.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How far a signer's timestamp may be from the coordinator's clock. Default 5 min.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sign-in requests (challenge and token) one client IP may make per minute, per coordinator. Default 120.</summary>
    [Range(1, 1_000_000)]
    public int AuthRequestsPerMinute { get; set; } = 120;

    /// <summary>Requests one participant may make per minute across the API: a signed-in wallet by its address, anyone
    /// else by their client address (as a trusted proxy forwards it). The operator's admin token and agents' gRPC streams
    /// are not counted. A burst of a minute's worth, refilled evenly. Counted by each coordinator on its own: a client
    /// spread over N coordinators gets N times this. Default 1,200.</summary>
    [Range(1, 10_000_000)]
    public int RequestsPerMinute { get; set; } = 1_200;

    /// <summary>Sign-in challenges open at once in each pool (customers' sign-ins, agents' handshakes: they do not
    /// share). Customers' are counted over the network (they are in the store), agents' per coordinator. Default 10,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxOpenChallenges { get; set; } = 10_000;

    /// <summary>Customer sign-in challenges one client (an IPv4 address or an IPv6 /64) may have open. Default 64.</summary>
    [Range(1, 1_000_000)]
    public int ChallengesPerClient { get; set; } = 64;

    /// <summary>Customer sign-in challenges open for one wallet address from one client; a new one replaces the oldest.
    /// Default 4.</summary>
    [Range(1, 1_000)]
    public int ChallengesPerAddress { get; set; } = 4;

    /// <summary>Agent handshakes one client (an IPv4 address or an IPv6 /64) may have in progress. Default 256: a farm's
    /// agents behind one address reconnect together after an outage.</summary>
    [Range(1, 1_000_000)]
    public int AgentHandshakesPerClient { get; set; } = 256;
}

using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Auth;

/// <summary>The coordinator's two challenge books: customers' sign-ins (REST) and agents' handshakes (gRPC).</summary>
/// <remarks>Separate books with limits of their own, so an anonymous flood of one cannot stop the other: customers can
/// still sign in while agents reconnect en masse, and agents can still register while someone floods the sign-in.
/// A customer's challenge and its answer are two requests that a load balancer may send to two coordinators, so that
/// book is in the shared store; an agent's handshake is one gRPC stream on one coordinator, so that book stays in memory.</remarks>
internal sealed class SignInChallenges(StoredChallengeBook customers, ChallengeBook agents)
{
    /// <summary>Challenges from <c>POST /api/v1/auth/challenge</c>.</summary>
    public StoredChallengeBook Customers { get; } = customers;

    /// <summary>Challenges of agents' stream handshakes.</summary>
    public ChallengeBook Agents { get; } = agents;

    /// <summary>Builds both books from the coordinator's options.</summary>
    public static SignInChallenges From(AccessOptions o, IDbContextFactory<GpunetDb> store) => new(
        new StoredChallengeBook(store, o.ChallengeLifetime, o.MaxClockSkew, new ChallengeLimits(o.MaxOpenChallenges, o.ChallengesPerClient, o.ChallengesPerAddress)),
        // An operator's agents all sign with the operator's wallet, so replacing an address's oldest handshake would fail a
        // reconnecting farm's agents; they are bounded per client instead, and a refused one retries (ResourceExhausted).
        new ChallengeBook(o.ChallengeLifetime, o.MaxClockSkew, new ChallengeLimits(o.MaxOpenChallenges, o.AgentHandshakesPerClient, int.MaxValue)));

    /// <summary>Forgets the agents' book's expired challenges; returns how many were removed. The customers' book sweeps
    /// the store each time it issues.</summary>
    public int Sweep(DateTimeOffset now) => Agents.Sweep(now);
}

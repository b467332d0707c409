using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Auth;

/// <summary>Customers' sign-in challenges in the shared store: one coordinator issues a challenge, any coordinator of
/// the network can take its answer, and only one of them can use it.</summary>
/// <remarks>
/// The same rules as the in-memory <see cref="ChallengeBook"/> (its <see cref="ChallengeLimits"/> and
/// <see cref="ChallengeBook.Check"/>), kept across coordinators:
/// <list type="bullet">
/// <item>Issuing runs in one transaction that holds the client's turn (PostgreSQL: an advisory lock on the client;
/// SQLite: the store's write lock), so two coordinators asked at once by one client cannot both pass its limit. Expired
/// challenges are swept in the same transaction, so they never count against anyone.</item>
/// <item>Redeeming deletes the row by its nonce and goes on only when this delete removed it: of two coordinators
/// answering one challenge at once, exactly one wins and the other sees an unknown nonce (a replay).</item>
/// </list>
/// </remarks>
internal sealed class StoredChallengeBook(IDbContextFactory<GpunetDb> dbFactory, TimeSpan lifetime, TimeSpan maxClockSkew, ChallengeLimits limits)
{
    /// <summary>How long an issued challenge may be redeemed.</summary>
    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>How far the signer's timestamp may be from the receiver's clock.</summary>
    public TimeSpan MaxClockSkew { get; } = maxClockSkew;

    /// <summary>The bounds on open challenges, counted over the whole network.</summary>
    public ChallengeLimits Limits { get; } = limits.Validated();

    /// <summary>Issues a challenge to <paramref name="address"/> asked for by <paramref name="source"/>, unless the
    /// source or the book is at its limit; past the address's limit the address's oldest challenge from that source is
    /// replaced.</summary>
    public async Task<ChallengeIssue> TryIssueAsync(
        Address address, string purpose, string network, string nonce, string source, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtext({"gpunet-sign-in:" + source}))", ct);
        await SweepAsync(db, now, ct);

        var challenges = db.SignInChallenges;
        var mine = challenges.Where(c => c.Source == source && c.Address == address.Value);
        string? replaced = null;
        if (Limits.ReplacesOldest(await mine.CountAsync(ct)))
        {
            replaced = await mine.OrderBy(c => c.IssuedAt).ThenBy(c => c.Nonce).Select(c => c.Nonce).FirstAsync(ct);
            await challenges.Where(c => c.Nonce == replaced).ExecuteDeleteAsync(ct);
        }
        else
        {
            var refusal = Limits.Refusal(await challenges.CountAsync(c => c.Source == source, ct), await challenges.CountAsync(ct));
            if (refusal != ChallengeRefusal.None)
                return new ChallengeIssue(null, refusal);
        }

        var challenge = new Challenge(address, purpose, network, nonce, now, now + Lifetime);
        challenges.Add(new SignInChallengeRecord
        {
            Nonce = nonce, Address = address.Value, Purpose = purpose, Network = network, Source = source,
            IssuedAt = now, ExpiresAt = challenge.ExpiresAt,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ChallengeIssue(challenge, ChallengeRefusal.None, replaced);
    }

    /// <summary>Checks a signed answer to a challenge; the challenge is consumed whatever the outcome, and by one
    /// answer only.</summary>
    public async Task<ChallengeOutcome> RedeemAsync(
        CanonicalMessage answer, string signature, ISignatureScheme scheme, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(answer);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.SignInChallenges.AsNoTracking().FirstOrDefaultAsync(c => c.Nonce == answer.Nonce, ct);
        // Whoever deletes the row has used the challenge: a second answer, here or at another coordinator, deletes nothing.
        if (row is null || await db.SignInChallenges.Where(c => c.Nonce == row.Nonce).ExecuteDeleteAsync(ct) == 0)
            return ChallengeOutcome.UnknownNonce;
        if (!Address.TryParse(row.Address, out var address, out _))
            return ChallengeOutcome.WrongAddress;
        var challenge = new Challenge(address, row.Purpose, row.Network, row.Nonce, row.IssuedAt, row.ExpiresAt);
        return ChallengeBook.Check(challenge, answer, signature, scheme, now, MaxClockSkew);
    }

    /// <summary>Challenges open now, over the whole network (expired ones not yet swept included).</summary>
    public async Task<int> OpenCountAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SignInChallenges.CountAsync(ct);
    }

    private static Task<int> SweepAsync(GpunetDb db, DateTimeOffset now, CancellationToken ct) =>
        db.SignInChallenges.Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(ct);
}

using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Auth;

/// <summary>The customers' challenge book in the store keeps the in-memory book's rules: expired challenges are swept
/// and stop counting against their client, and a swept challenge cannot be answered.</summary>
public sealed class StoredChallengeBookTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TryIssue_ClientAtItsLimit_RefusedUntilItsChallengesExpire_ThenTheyAreSwept(string provider)
    {
        var db = await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir());
        var store = StoreConnection.Parse(db).CreateDbContextFactory();
        await StoreSchema.EnsureAsync(store, CancellationToken.None);
        var book = new StoredChallengeBook(store, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), new ChallengeLimits(100, 2, 4));
        var wallet = Wallet.Create();
        Task<ChallengeIssue> IssueAsync(DateTimeOffset at) =>
            book.TryIssueAsync(wallet.Address, SignInMessages.ApiToken, "test", System.Security.Cryptography.RandomNumberGenerator.GetHexString(64, lowercase: true), "198.51.100.7", at, CancellationToken.None);

        var first = await IssueAsync(T0);
        Assert.True(first.Issued);
        Assert.True((await IssueAsync(T0.AddSeconds(1))).Issued);
        Assert.Equal(ChallengeRefusal.SourceBusy, (await IssueAsync(T0.AddMinutes(1))).Refusal);

        Assert.True((await IssueAsync(T0.AddMinutes(2).AddSeconds(2))).Issued);
        Assert.Equal(1, await book.OpenCountAsync(CancellationToken.None));
        var late = SignInMessages.ForApiToken("test", wallet.Address, first.Challenge!.Nonce, T0.AddMinutes(3));
        Assert.Equal(ChallengeOutcome.UnknownNonce, await book.RedeemAsync(late, wallet.Sign(late), Secp256k1SignatureScheme.Instance, T0.AddMinutes(3), CancellationToken.None));
    }
}

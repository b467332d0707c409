using Gpunet.Core.Identity;

namespace Gpunet.Core.Tests.Identity;

public sealed class ChallengeBookTests
{
    private const string Network = "devnet";
    private const string Purpose = SignInMessages.ApiToken;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = Signing.T0;
    private static readonly ISignatureScheme Scheme = Secp256k1SignatureScheme.Instance;
    private static readonly Wallet Alice = Signing.VectorWallet;
    private static readonly Wallet Bob = Wallet.FromPrivateKey("0x" + new string('1', 64));

    private readonly ChallengeBook _book = new(Lifetime, Skew);

    private static (CanonicalMessage Message, string Signature) Answer(
        Wallet wallet, string nonce, DateTimeOffset at, string purpose = Purpose, string network = Network)
    {
        var message = CanonicalMessage.Create(purpose, network, wallet.Address, nonce, at);
        return (message, wallet.Sign(message));
    }

    private ChallengeOutcome Redeem((CanonicalMessage Message, string Signature) answer, DateTimeOffset now) =>
        _book.Redeem(answer.Message, answer.Signature, Scheme, now);

    [Fact]
    public void Issue_NewNonce_RecordsChallengeWithExpiry()
    {
        var challenge = _book.Issue(Alice.Address, Purpose, Network, "n1", T0);

        Assert.Equal(new Challenge(Alice.Address, Purpose, Network, "n1", T0, T0 + Lifetime), challenge);
        Assert.Equal(1, _book.OpenCount);
        Assert.Equal(Lifetime, _book.Lifetime);
        Assert.Equal(Skew, _book.MaxClockSkew);
    }

    [Fact]
    public void Issue_NonceAlreadyOpen_Throws()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);

        Assert.Throws<InvalidOperationException>(() => _book.Issue(Bob.Address, Purpose, Network, "n1", T0));
        Assert.Equal(1, _book.OpenCount);
    }

    [Fact]
    public void Redeem_SignedAnswer_AcceptedAndConsumed()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);

        var outcome = Redeem(Answer(Alice, "n1", T0.AddSeconds(2)), T0.AddSeconds(3));

        Assert.Equal(ChallengeOutcome.Accepted, outcome);
        Assert.Equal(0, _book.OpenCount);
    }

    [Fact]
    public void Redeem_SameAnswerTwice_SecondIsUnknownNonce()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);
        var answer = Answer(Alice, "n1", T0);

        Assert.Equal(ChallengeOutcome.Accepted, Redeem(answer, T0.AddSeconds(1)));
        Assert.Equal(ChallengeOutcome.UnknownNonce, Redeem(answer, T0.AddSeconds(2)));
    }

    [Fact]
    public void Redeem_NeverIssued_UnknownNonce() =>
        Assert.Equal(ChallengeOutcome.UnknownNonce, Redeem(Answer(Alice, "made-up", T0), T0));

    [Fact]
    public void Redeem_NonceIssuedAgainAfterUse_AcceptedAgain()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);
        Assert.Equal(ChallengeOutcome.Accepted, Redeem(Answer(Alice, "n1", T0), T0));

        _book.Issue(Alice.Address, Purpose, Network, "n1", T0.AddMinutes(1));

        Assert.Equal(ChallengeOutcome.Accepted, Redeem(Answer(Alice, "n1", T0.AddMinutes(1)), T0.AddMinutes(1)));
    }

    [Fact]
    public void Redeem_AfterLifetime_Expired()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);
        var now = T0 + Lifetime + TimeSpan.FromTicks(1);

        Assert.Equal(ChallengeOutcome.Expired, Redeem(Answer(Alice, "n1", now), now));
        Assert.Equal(0, _book.OpenCount);
    }

    [Fact]
    public void Redeem_AtExactlyLifetime_Accepted()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);
        var now = T0 + Lifetime;

        Assert.Equal(ChallengeOutcome.Accepted, Redeem(Answer(Alice, "n1", now), now));
    }

    [Fact]
    public void Redeem_ValidAnswerFromAnotherWallet_WrongAddress()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);

        Assert.Equal(ChallengeOutcome.WrongAddress, Redeem(Answer(Bob, "n1", T0), T0));
    }

    [Fact]
    public void Redeem_AnswerForAnotherPurpose_WrongPurpose()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);

        Assert.Equal(ChallengeOutcome.WrongPurpose, Redeem(Answer(Alice, "n1", T0, purpose: SignInMessages.AgentStream), T0));
    }

    [Fact]
    public void Redeem_AnswerForAnotherNetwork_WrongNetwork()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);

        Assert.Equal(ChallengeOutcome.WrongNetwork, Redeem(Answer(Alice, "n1", T0, network: "mainnet"), T0));
    }

    [Theory]
    [InlineData(-31)]
    [InlineData(31)]
    [InlineData(-3600)]
    [InlineData(3600)]
    public void Redeem_TimestampBeyondMaxClockSkew_StaleTimestamp(int offsetSeconds)
    {
        var now = T0.AddMinutes(2);
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);

        Assert.Equal(ChallengeOutcome.StaleTimestamp, Redeem(Answer(Alice, "n1", now.AddSeconds(offsetSeconds)), now));
    }

    [Theory]
    [InlineData(-30)]
    [InlineData(0)]
    [InlineData(30)]
    public void Redeem_TimestampWithinMaxClockSkew_Accepted(int offsetSeconds)
    {
        var now = T0.AddMinutes(2);
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);

        Assert.Equal(ChallengeOutcome.Accepted, Redeem(Answer(Alice, "n1", now.AddSeconds(offsetSeconds)), now));
    }

    [Fact]
    public void Redeem_SignedByAnotherWallet_BadSignature()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);
        var message = CanonicalMessage.Create(Purpose, Network, Alice.Address, "n1", T0);

        Assert.Equal(ChallengeOutcome.BadSignature, _book.Redeem(message, Bob.Sign(message), Scheme, T0));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0xdeadbeef")]
    public void Redeem_MalformedSignature_BadSignature(string signature)
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);
        var message = CanonicalMessage.Create(Purpose, Network, Alice.Address, "n1", T0);

        Assert.Equal(ChallengeOutcome.BadSignature, _book.Redeem(message, signature, Scheme, T0));
    }

    [Theory]
    [InlineData("network")]
    [InlineData("signature")]
    [InlineData("stale")]
    public void Redeem_AfterAFailedAnswer_ChallengeIsGone(string failure)
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);
        var bad = failure switch
        {
            "network" => Answer(Alice, "n1", T0, network: "mainnet"),
            "signature" => (Answer(Alice, "n1", T0).Message, Bob.Sign(Answer(Alice, "n1", T0).Message)),
            _ => Answer(Alice, "n1", T0.AddHours(1)),
        };
        Assert.NotEqual(ChallengeOutcome.Accepted, Redeem(bad, T0));

        Assert.Equal(ChallengeOutcome.UnknownNonce, Redeem(Answer(Alice, "n1", T0), T0));
        Assert.Equal(0, _book.OpenCount);
    }

    [Fact]
    public void Redeem_WithReferenceScheme_SameOutcome()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);
        var (message, signature) = Answer(Alice, "n1", T0);

        Assert.Equal(ChallengeOutcome.Accepted, _book.Redeem(message, signature, EthereumSignatureScheme.Instance, T0));
    }

    [Fact]
    public void Sweep_SomeExpired_RemovesOnlyThose()
    {
        _book.Issue(Alice.Address, Purpose, Network, "old", T0);
        _book.Issue(Alice.Address, Purpose, Network, "older", T0.AddMinutes(-1));
        _book.Issue(Alice.Address, Purpose, Network, "new", T0.AddMinutes(3));
        var now = T0 + Lifetime + TimeSpan.FromSeconds(1);

        Assert.Equal(2, _book.Sweep(now));

        Assert.Equal(1, _book.OpenCount);
        Assert.Equal(ChallengeOutcome.UnknownNonce, Redeem(Answer(Alice, "old", now), now));
        Assert.Equal(ChallengeOutcome.Accepted, Redeem(Answer(Alice, "new", now), now));
    }

    [Fact]
    public void Sweep_AtExactlyExpiry_KeepsTheChallenge()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);

        Assert.Equal(0, _book.Sweep(T0 + Lifetime));
        Assert.Equal(1, _book.OpenCount);
    }

    [Fact]
    public void Sweep_Empty_Zero() => Assert.Equal(0, _book.Sweep(T0));

    [Fact]
    public void Redeem_ManyConcurrentAnswersForOneNonce_ExactlyOneAccepted()
    {
        _book.Issue(Alice.Address, Purpose, Network, "n1", T0);
        var answer = Answer(Alice, "n1", T0);
        var outcomes = new ChallengeOutcome[32];

        Parallel.For(0, outcomes.Length, i => outcomes[i] = Redeem(answer, T0));

        Assert.Equal(1, outcomes.Count(o => o == ChallengeOutcome.Accepted));
        Assert.Equal(31, outcomes.Count(o => o == ChallengeOutcome.UnknownNonce));
    }

    [Fact]
    public void Describe_EveryOutcome_ReadableSentence()
    {
        foreach (var outcome in Enum.GetValues<ChallengeOutcome>())
        {
            var text = outcome.Describe();
            Assert.False(string.IsNullOrWhiteSpace(text));
            Assert.NotEqual(outcome.ToString(), text);
        }
    }

    [Fact]
    public void TryIssue_WhenFull_RefusesUntilChallengesExpire()
    {
        var book = new ChallengeBook(Lifetime, Skew, new ChallengeLimits(MaxOpen: 2, PerSource: 10, PerAddress: 10));
        Assert.True(book.TryIssue(Alice.Address, Purpose, Network, "n1", "a", T0).Issued);
        Assert.True(book.TryIssue(Bob.Address, Purpose, Network, "n2", "b", T0).Issued);
        Assert.Equal(ChallengeRefusal.Full, book.TryIssue(Alice.Address, Purpose, Network, "n3", "c", T0 + TimeSpan.FromSeconds(1)).Refusal);
        Assert.Equal(2, book.OpenCount);

        // Once the first two have expired, they are swept to make room.
        Assert.True(book.TryIssue(Alice.Address, Purpose, Network, "n4", "c", T0 + Lifetime + TimeSpan.FromSeconds(1)).Issued);
        Assert.Equal(1, book.OpenCount);
    }

    [Fact]
    public void TryIssue_SourceAtItsLimit_RefusesThatSourceOnly()
    {
        var book = new ChallengeBook(Lifetime, Skew, new ChallengeLimits(MaxOpen: 100, PerSource: 3, PerAddress: 4));
        for (var i = 0; i < 3; i++)
            Assert.True(book.TryIssue(Wallet.Create().Address, Purpose, Network, $"flood-{i}", "198.51.100.7", T0).Issued);

        Assert.Equal(ChallengeRefusal.SourceBusy, book.TryIssue(Wallet.Create().Address, Purpose, Network, "flood-3", "198.51.100.7", T0).Refusal);
        var other = book.TryIssue(Alice.Address, Purpose, Network, "alice", "203.0.113.9", T0);
        Assert.True(other.Issued);
        Assert.Equal(ChallengeOutcome.Accepted, book.Redeem(Answer(Alice, "alice", T0).Message, Answer(Alice, "alice", T0).Signature, Scheme, T0));
    }

    [Fact]
    public void TryIssue_SourceAtItsLimit_IssuesAgainOnceOneIsWithdrawnOrExpired()
    {
        var book = new ChallengeBook(Lifetime, Skew, new ChallengeLimits(MaxOpen: 100, PerSource: 2, PerAddress: 4));
        book.TryIssue(Alice.Address, Purpose, Network, "n1", "s", T0);
        book.TryIssue(Bob.Address, Purpose, Network, "n2", "s", T0 + TimeSpan.FromMinutes(1));
        Assert.False(book.TryIssue(Bob.Address, Purpose, Network, "n3", "s", T0 + TimeSpan.FromMinutes(2)).Issued);

        Assert.True(book.Cancel("n1"));
        Assert.True(book.TryIssue(Bob.Address, Purpose, Network, "n3", "s", T0 + TimeSpan.FromMinutes(2)).Issued);
        Assert.False(book.TryIssue(Bob.Address, Purpose, Network, "n4", "s", T0 + TimeSpan.FromMinutes(2)).Issued);
        // Once n2 has expired (n3 has not), it makes room.
        Assert.True(book.TryIssue(Bob.Address, Purpose, Network, "n4", "s", T0 + TimeSpan.FromMinutes(1) + Lifetime + TimeSpan.FromSeconds(1)).Issued);
        Assert.Equal(2, book.OpenFrom("s"));
    }

    [Fact]
    public void TryIssue_AddressAtItsLimit_ReplacesItsOldestChallenge()
    {
        var book = new ChallengeBook(Lifetime, Skew, new ChallengeLimits(MaxOpen: 100, PerSource: 100, PerAddress: 2));
        book.TryIssue(Alice.Address, Purpose, Network, "first", "s", T0);
        book.TryIssue(Alice.Address, Purpose, Network, "second", "s", T0);

        var third = book.TryIssue(Alice.Address, Purpose, Network, "third", "s", T0);

        Assert.True(third.Issued);
        Assert.Equal("first", third.Replaced);
        Assert.Equal(2, book.OpenCount);
        Assert.Equal(ChallengeOutcome.UnknownNonce, book.Redeem(Answer(Alice, "first", T0).Message, Answer(Alice, "first", T0).Signature, Scheme, T0));
        Assert.Equal(ChallengeOutcome.Accepted, book.Redeem(Answer(Alice, "third", T0).Message, Answer(Alice, "third", T0).Signature, Scheme, T0));
    }

    [Fact]
    public void TryIssue_SameAddressFromAnotherSource_LeavesTheOwnersChallengesOpen()
    {
        var book = new ChallengeBook(Lifetime, Skew, new ChallengeLimits(MaxOpen: 100, PerSource: 100, PerAddress: 1));
        book.TryIssue(Alice.Address, Purpose, Network, "alice's", "alice-home", T0);
        for (var i = 0; i < 5; i++)
            Assert.True(book.TryIssue(Alice.Address, Purpose, Network, $"attacker-{i}", "elsewhere", T0).Issued);

        Assert.Equal(ChallengeOutcome.Accepted, book.Redeem(Answer(Alice, "alice's", T0).Message, Answer(Alice, "alice's", T0).Signature, Scheme, T0));
    }

    [Fact]
    public void TryIssue_NonceAlreadyOpen_Throws()
    {
        _book.TryIssue(Alice.Address, Purpose, Network, "n1", "s", T0);
        Assert.Throws<InvalidOperationException>(() => _book.TryIssue(Bob.Address, Purpose, Network, "n1", "t", T0));
    }
}

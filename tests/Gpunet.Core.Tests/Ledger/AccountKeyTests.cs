using Gpunet.Core.Hosts;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Ledger;

public sealed class AccountKeyTests
{
    [Fact]
    public void ToString_EachOwner_DeterministicNameThatParsesBack()
    {
        var wallet = Books.Wallet(0xab);
        var keys = new (AccountKey Key, string Name)[]
        {
            (AccountKey.Participant(wallet, AccountPurpose.Available), $"participant:{wallet}:available"),
            (AccountKey.Participant(wallet, AccountPurpose.Staked), $"participant:{wallet}:staked"),
            (AccountKey.Participant(wallet, AccountPurpose.Unbonding), $"participant:{wallet}:unbonding"),
            (AccountKey.Participant(wallet, AccountPurpose.Vesting), $"participant:{wallet}:vesting"),
            (AccountKey.LeaseEscrow("lease-7f3a"), "lease:lease-7f3a:escrow"),
            (AccountKey.HostStake(Host("host-0123456789ab")), "host:host-0123456789ab:staked"),
            (AccountKey.Network(AccountPurpose.Genesis), "network:genesis"),
            (AccountKey.Network(AccountPurpose.EmissionPool), "network:emission-pool"),
            (AccountKey.Network(AccountPurpose.Treasury), "network:treasury"),
            (AccountKey.Network(AccountPurpose.Slashed), "network:slashed"),
        };
        foreach (var (key, name) in keys)
        {
            Assert.Equal(name, key.ToString());
            Assert.Equal(key, AccountKey.Parse(name));
        }

        Assert.Equal(keys.Length, keys.Select(k => k.Key).Distinct().Count());
    }

    [Fact]
    public void Parse_MixedCaseAddress_SameAccountAsLowerCase()
    {
        var upper = AccountKey.Parse("participant:0xABCDEF0000000000000000000000000000000001:vesting");
        Assert.Equal("participant:0xabcdef0000000000000000000000000000000001:vesting", upper.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("network")]
    [InlineData("network:available")]
    [InlineData("network:emission_pool")]
    [InlineData("participant:0x01:available")]
    [InlineData("participant:0x0000000000000000000000000000000000000001:escrow")]
    [InlineData("participant:0x0000000000000000000000000000000000000001:treasury")]
    [InlineData("lease:lease-1:staked")]
    [InlineData("lease::escrow")]
    [InlineData("host:host-0123456789ab:available")]
    [InlineData("host:host-0123456789ab:escrow")]
    [InlineData("host:host-0123456789AB:staked")]
    [InlineData("host:host-123:staked")]
    [InlineData("host::staked")]
    [InlineData("host:host-0123456789ab")]
    [InlineData("wallet:0x0000000000000000000000000000000000000001:available")]
    public void Parse_NotAnAccountName_Refused(string text)
    {
        Assert.False(AccountKey.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => AccountKey.Parse(text));
    }

    [Fact]
    public void Factories_PurposeOfAnotherOwner_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AccountKey.Participant(Books.Wallet(1), AccountPurpose.Escrow));
        Assert.Throws<ArgumentOutOfRangeException>(() => AccountKey.Network(AccountPurpose.Staked));
        Assert.Throws<ArgumentException>(() => AccountKey.LeaseEscrow("a:b"));
        Assert.Throws<ArgumentException>(() => AccountKey.LeaseEscrow(""));
        Assert.False(default(AccountKey).IsValid);
    }

    [Fact]
    public void HostStake_Container_HostKindStakedPurposeOwnedByTheHostId()
    {
        var host = HostId.FromFingerprint("nic=aa:bb");
        var key = AccountKey.HostStake(host);

        Assert.Equal(AccountOwnerKind.Host, key.Kind);
        Assert.Equal(AccountPurpose.Staked, key.Purpose);
        Assert.Equal(host.Value, key.Owner);
        Assert.Equal($"host:{host}:staked", key.ToString());
        Assert.True(AccountKey.TryParse(key.ToString(), out var parsed));
        Assert.Equal(key, parsed);
        Assert.NotEqual(AccountKey.HostStake(HostId.FromFingerprint("nic=aa:bc")), key);
    }

    private static HostId Host(string id) => HostId.TryParse(id, out var host) ? host.Value : throw new FormatException(id);
}

using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.Core.Tests.Ledger;

namespace Gpunet.Core.Tests.Economics;

/// <summary>Test data for the economics: wallets, containers, epochs and inputs with nothing in them.</summary>
internal static class Economy
{
    public static readonly EconomicsOptions Defaults = new();

    public static Address Wallet(int n) => Books.Wallet(n);

    public static HostId Host(int n) => HostId.FromFingerprint("host " + n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static TokenAmount Tokens(decimal tokens) => TokenAmount.FromTokens(tokens);

    public static TokenAmount Units(long baseUnits) => TokenAmount.FromBaseUnits(baseUnits);

    /// <summary>Day 20,000 after 1970-01-01 (2024-10-04), 00:00 UTC.</summary>
    public const long Epoch = 20_000;

    public static DateTimeOffset Start(long epoch = Epoch) => Defaults.EpochStart(epoch);

    public static DateTimeOffset End(long epoch = Epoch) => Defaults.EpochStart(epoch + 1);

    /// <summary>An epoch with an empty emission pool and nothing in it; add what a test needs with <c>with</c>.</summary>
    public static EpochInputs Empty(long epoch = Epoch) =>
        new(epoch, Start(epoch), End(epoch), TokenAmount.Zero, [], [], [], [], [], []);

    /// <summary>A fully staked container of <paramref name="operatorWallet"/> with <paramref name="gpus"/> H100s (1000 tokens of stake each).</summary>
    public static HostEpoch StakedHost(int host, int operatorWallet, int gpus = 8, long uptime = 86_400, long served = 0) =>
        new(Host(host), Wallet(operatorWallet), Tokens(1000m * gpus), Tokens(1000m * gpus), 1000L * gpus, uptime, served);

    public static LeaseEpoch Reserve(string id, int operatorWallet, int customer, decimal charge, decimal escrow, bool ended = false, bool atFault = false) =>
        new(id, Host(operatorWallet), Wallet(operatorWallet), Wallet(customer), true, Tokens(charge), Tokens(escrow), null,
            TokenAmount.Zero, TokenAmount.Zero, ended, atFault);

    public static LeaseEpoch OnDemand(string id, int operatorWallet, int customer, decimal charge, TransferId? openHold, decimal hold, decimal nextHold, bool ended = false) =>
        new(id, Host(operatorWallet), Wallet(operatorWallet), Wallet(customer), false, Tokens(charge), TokenAmount.Zero, openHold,
            Tokens(hold), Tokens(nextHold), ended, false);

    public static AccountKey Available(int wallet) => AccountKey.Participant(Wallet(wallet), AccountPurpose.Available);

    public static AccountKey Vesting(int wallet) => AccountKey.Participant(Wallet(wallet), AccountPurpose.Vesting);

    public static AccountKey Unbonding(int wallet) => AccountKey.Participant(Wallet(wallet), AccountPurpose.Unbonding);

    public static AccountKey Network(AccountPurpose purpose) => AccountKey.Network(purpose);

    /// <summary>The plan's transfers of one code.</summary>
    public static PlannedTransfer[] Of(this EpochSettlement plan, TransferCode code) => [.. plan.Transfers.Where(t => t.Code == code)];

    /// <summary>The one transfer of this code; fails unless there is exactly one.</summary>
    public static PlannedTransfer Single(this EpochSettlement plan, TransferCode code) => Assert.Single(plan.Of(code));
}

namespace Gpunet.Core.Ledger;

/// <summary>What an account holds; each owner kind has its own purposes (<see cref="AccountKey"/>).</summary>
public enum AccountPurpose
{
    /// <summary>Participant: spendable tokens.</summary>
    Available,

    /// <summary>Participant: stake behind their containers.</summary>
    Staked,

    /// <summary>Participant: stake on its way out (180 days by default).</summary>
    Unbonding,

    /// <summary>Participant: earned fees vesting linearly (45 days by default).</summary>
    Vesting,

    /// <summary>Lease: the customer's prepayment held until it is earned or refunded.</summary>
    Escrow,

    /// <summary>Network: credited the whole supply once at genesis, the only creation of money.</summary>
    Genesis,

    /// <summary>Network: rewards waiting for the emission schedule.</summary>
    EmissionPool,

    /// <summary>Network: the protocol fee (20 % of fees).</summary>
    Treasury,

    /// <summary>Network: stake and rewards taken by slashing.</summary>
    Slashed,
}

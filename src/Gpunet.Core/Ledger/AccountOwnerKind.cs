namespace Gpunet.Core.Ledger;

/// <summary>Who an account belongs to.</summary>
public enum AccountOwnerKind
{
    /// <summary>A participant's wallet address (host operator, checker, customer).</summary>
    Participant,

    /// <summary>A lease, for its escrow.</summary>
    Lease,

    /// <summary>The network itself.</summary>
    Network,

    /// <summary>A container (host id), for its stake.</summary>
    Host,
}

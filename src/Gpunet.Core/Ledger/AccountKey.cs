using System.Diagnostics.CodeAnalysis;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Ledger;

/// <summary>What a ledger account is: its owner and its purpose, with one deterministic name.</summary>
/// <remarks>
/// Names: <c>participant:0x…:available|staked|unbonding|vesting</c>, <c>lease:LEASE-ID:escrow</c>,
/// <c>host:HOST-ID:staked</c> and <c>network:genesis|emission-pool|treasury|slashed</c>. <see cref="Parse"/> reads back
/// what <see cref="ToString"/> writes. Participants have the four participant purposes, leases only escrow, containers
/// only staked (the stake behind one container, slashed from there), the network only its four.
/// </remarks>
public readonly record struct AccountKey
{
    private readonly string? _owner;

    private AccountKey(AccountOwnerKind kind, string owner, AccountPurpose purpose)
    {
        Kind = kind;
        _owner = owner;
        Purpose = purpose;
    }

    public AccountOwnerKind Kind { get; }

    /// <summary>The owner: the wallet address of a participant, the lease id of a lease, the host id of a container, empty for the network.</summary>
    public string Owner => _owner ?? "";

    public AccountPurpose Purpose { get; }

    /// <summary>False only for <c>default(AccountKey)</c>.</summary>
    public bool IsValid => _owner is not null;

    /// <summary>A participant's account; <paramref name="purpose"/> is available, staked, unbonding or vesting.</summary>
    public static AccountKey Participant(Address address, AccountPurpose purpose)
    {
        if (purpose is not (AccountPurpose.Available or AccountPurpose.Staked or AccountPurpose.Unbonding or AccountPurpose.Vesting))
            throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "a participant account is available, staked, unbonding or vesting");
        return new AccountKey(AccountOwnerKind.Participant, address.Value, purpose);
    }

    /// <summary>A lease's escrow account.</summary>
    public static AccountKey LeaseEscrow(string leaseId)
    {
        if (!IsLeaseId(leaseId))
            throw new ArgumentException("a lease id is 1 to 100 printable ASCII characters without ':' or spaces", nameof(leaseId));
        return new AccountKey(AccountOwnerKind.Lease, leaseId, AccountPurpose.Escrow);
    }

    /// <summary>A container's stake account, e.g. <c>host:host-0123456789ab:staked</c>.</summary>
    public static AccountKey HostStake(HostId host) => new(AccountOwnerKind.Host, host.Value, AccountPurpose.Staked);

    /// <summary>One of the network's accounts; <paramref name="purpose"/> is genesis, emission pool, treasury or slashed.</summary>
    public static AccountKey Network(AccountPurpose purpose)
    {
        if (purpose is not (AccountPurpose.Genesis or AccountPurpose.EmissionPool or AccountPurpose.Treasury or AccountPurpose.Slashed))
            throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "a network account is genesis, emission-pool, treasury or slashed");
        return new AccountKey(AccountOwnerKind.Network, "", purpose);
    }

    /// <summary>The purpose's name as used in account names: <c>available</c>, <c>emission-pool</c>, …</summary>
    public static string PurposeName(AccountPurpose purpose) => purpose switch
    {
        AccountPurpose.Available => "available",
        AccountPurpose.Staked => "staked",
        AccountPurpose.Unbonding => "unbonding",
        AccountPurpose.Vesting => "vesting",
        AccountPurpose.Escrow => "escrow",
        AccountPurpose.Genesis => "genesis",
        AccountPurpose.EmissionPool => "emission-pool",
        AccountPurpose.Treasury => "treasury",
        AccountPurpose.Slashed => "slashed",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "unknown account purpose"),
    };

    private static bool TryPurpose(ReadOnlySpan<char> name, out AccountPurpose purpose)
    {
        foreach (var p in Enum.GetValues<AccountPurpose>())
        {
            if (name.SequenceEqual(PurposeName(p)))
            {
                purpose = p;
                return true;
            }
        }

        purpose = default;
        return false;
    }

    private static bool IsLeaseId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 100)
            return false;
        foreach (var c in id)
        {
            if (c is ':' or <= ' ' or > '~')
                return false;
        }

        return true;
    }

    /// <summary>Parses an account name such as <c>participant:0x…:staked</c>; throws <see cref="FormatException"/> saying why not.</summary>
    public static AccountKey Parse(string text)
    {
        if (!TryParse(text, out var key, out var error))
            throw new FormatException(error);
        return key;
    }

    public static bool TryParse(string? text, out AccountKey key) => TryParse(text, out key, out _);

    public static bool TryParse(string? text, out AccountKey key, [NotNullWhen(false)] out string? error)
    {
        key = default;
        var parts = (text ?? "").Split(':');
        string? problem = null;
        switch (parts)
        {
            case ["participant", var address, var purpose]:
                if (!Address.TryParse(address, out var a, out var addressError))
                    problem = addressError;
                else if (!TryPurpose(purpose, out var p) || p is not (AccountPurpose.Available or AccountPurpose.Staked or AccountPurpose.Unbonding or AccountPurpose.Vesting))
                    problem = $"'{purpose}' is not a participant account: available, staked, unbonding or vesting";
                else
                    key = Participant(a, p);
                break;
            case ["lease", var lease, "escrow"] when IsLeaseId(lease):
                key = LeaseEscrow(lease);
                break;
            case ["lease", _, _]:
                problem = "a lease account is lease:LEASE-ID:escrow";
                break;
            case ["host", var host, "staked"] when HostId.TryParse(host, out var h):
                key = HostStake(h.Value);
                break;
            case ["host", _, _]:
                problem = "a container account is host:HOST-ID:staked (host- and 12 lower-case hex digits)";
                break;
            case ["network", var purpose]:
                if (!TryPurpose(purpose, out var n) || n is not (AccountPurpose.Genesis or AccountPurpose.EmissionPool or AccountPurpose.Treasury or AccountPurpose.Slashed))
                    problem = $"'{purpose}' is not a network account: genesis, emission-pool, treasury or slashed";
                else
                    key = Network(n);
                break;
            default:
                problem = $"'{text}' is not an account name: participant:0x…:available|staked|unbonding|vesting, lease:LEASE-ID:escrow, host:HOST-ID:staked or network:genesis|emission-pool|treasury|slashed";
                break;
        }

        error = problem;
        return problem is null;
    }

    public override string ToString() => !IsValid
        ? ""
        : Kind switch
        {
            AccountOwnerKind.Participant => $"participant:{Owner}:{PurposeName(Purpose)}",
            AccountOwnerKind.Lease => $"lease:{Owner}:{PurposeName(Purpose)}",
            AccountOwnerKind.Host => $"host:{Owner}:{PurposeName(Purpose)}",
            _ => $"network:{PurposeName(Purpose)}",
        };
}

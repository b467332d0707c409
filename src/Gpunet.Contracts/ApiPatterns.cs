namespace Gpunet.Contracts;

/// <summary>The text patterns of the API's ids, addresses and amounts, as the shapes' <c>[RegularExpression]</c>
/// attributes and the OpenAPI document state them.</summary>
public static class ApiPatterns
{
    /// <summary>A wallet address: 0x and 40 hex digits (any case; the server keeps it lowercase).</summary>
    public const string Address = "^0x[0-9a-fA-F]{40}$";

    /// <summary>A network endpoint: an IPv4 address, a bracketed IPv6 address or a host name, then a port.</summary>
    public const string Endpoint = @"^(\[[0-9a-fA-F:.]{2,45}\]|[A-Za-z0-9.-]{1,253}):[0-9]{1,5}$";

    /// <summary>A calendar month, <c>YYYY-MM</c>.</summary>
    public const string Month = @"^[0-9]{4}-(0[1-9]|1[0-2])$";

    /// <summary>A token amount in tokens, as a decimal string: at most 11 whole digits (42 billion) and 8 decimals.</summary>
    public const string TokenAmount = @"^[0-9]{1,11}(\.[0-9]{1,8})?$";

    /// <summary>A token amount seen from a wallet: negative when it left the wallet.</summary>
    public const string SignedTokenAmount = @"^-?[0-9]{1,11}(\.[0-9]{1,8})?$";

    /// <summary>An ISO 3166-1 alpha-2 country code.</summary>
    public const string Country = "^[A-Z]{2}$";

    /// <summary>A host (container) id: <c>host-</c> and 12 lowercase hex digits.</summary>
    public const string HostId = "^host-[0-9a-f]{12}$";

    /// <summary>A lease id: <c>lease-</c> and 12 lowercase hex digits.</summary>
    public const string LeaseId = "^lease-[0-9a-f]{12}$";

    /// <summary>A secp256k1 signature (r, s, v) as 0x and 130 hex digits.</summary>
    public const string Signature = "^0x[0-9a-fA-F]{130}$";

    /// <summary>A check's id: <c>chk_</c> and 24 lower-case hex digits.</summary>
    public const string CheckId = "^chk_[0-9a-f]{24}$";

    /// <summary>A transfer id chosen by the client: 32 hex digits, not all zero.</summary>
    public const string TransferId = "^[0-9a-fA-F]{32}$";

    /// <summary>An order id: <c>ord-</c> and 12 lowercase hex digits.</summary>
    public const string OrderId = "^ord-[0-9a-f]{12}$";

    /// <summary>A KYC submission's id: <c>kyc-</c> and 16 lowercase hex digits.</summary>
    public const string KycId = "^kyc-[0-9a-f]{16}$";

    /// <summary>Who did something on the API: <c>admin</c> (the operator's admin token) or the signed-in wallet's address,
    /// lowercase.</summary>
    public const string Actor = "^(admin|0x[0-9a-f]{40})$";

    /// <summary>A SHA-256 digest in lowercase hex.</summary>
    public const string Sha256Hex = "^[0-9a-f]{64}$";

    /// <summary>A ledger account's name (<c>participant:0x…:available</c>, <c>lease:lease-…:escrow</c>,
    /// <c>host:host-…:staked</c>, <c>network:treasury</c>), or empty for an account the ledger has no name for.</summary>
    public const string AccountName =
        "^(participant:0x[0-9a-f]{40}:(available|staked|unbonding|vesting)|lease:lease-[0-9a-f]{12}:escrow|host:host-[0-9a-f]{12}:staked"
        + "|network:(genesis|emission-pool|treasury|slashed))?$";
}

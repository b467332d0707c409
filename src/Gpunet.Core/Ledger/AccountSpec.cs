namespace Gpunet.Core.Ledger;

/// <summary>An account to create: its number and what it is.</summary>
public readonly record struct AccountSpec(AccountId Id, AccountKey Key);

using System.Globalization;

namespace Gpunet.Core.Ledger;

/// <summary>A ledger account's number: a positive integer, chosen by whoever creates the account (a store's row id).</summary>
public readonly record struct AccountId(long Value)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

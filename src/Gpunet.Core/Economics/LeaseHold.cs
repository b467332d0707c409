using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>A new on-demand hold in a settlement: the pending transfer to remember as the lease's open hold.</summary>
public sealed record LeaseHold(string LeaseId, TransferId Id, TokenAmount Amount);

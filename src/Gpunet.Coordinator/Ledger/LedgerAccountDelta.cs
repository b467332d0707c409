namespace Gpunet.Coordinator.Ledger;

/// <summary>How much one batch moves an account's four totals, in base units (pending totals may go down).</summary>
internal readonly record struct LedgerAccountDelta(long AccountId, long DebitsPosted, long CreditsPosted, long DebitsPending, long CreditsPending);

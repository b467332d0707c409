namespace Gpunet.Coordinator.Ledger;

/// <summary>Another coordinator wrote the shared ledger since this one last read it; the batch was not written.</summary>
internal sealed class LedgerConflictException(long expectedVersion)
    : Exception($"the ledger moved past version {expectedVersion} (another coordinator wrote it); reload and retry");

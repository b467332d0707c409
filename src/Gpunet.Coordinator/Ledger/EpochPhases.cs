namespace Gpunet.Coordinator.Ledger;

/// <summary>Where one epoch's settlement spent its time: reading its inputs (store and ledger), planning them in
/// memory, and writing the result in the ledger's transaction.</summary>
internal readonly record struct EpochPhases(TimeSpan Read, TimeSpan Plan, TimeSpan Write);

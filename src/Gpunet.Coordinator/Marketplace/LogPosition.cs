using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Where a reader of a lease's lines stands: after line <see cref="Sequence"/> of attempt <see cref="Attempt"/>.
/// A lease's lines are in attempt order, then sequence order (each placement numbers its lines from 1).</summary>
internal readonly record struct LogPosition(int Attempt, long Sequence)
{
    /// <summary>Whether <paramref name="line"/> comes after this position.</summary>
    public bool Precedes(LeaseLogRecord line) => line.Attempt > Attempt || (line.Attempt == Attempt && line.Sequence > Sequence);

    /// <summary>The position just after <paramref name="line"/>.</summary>
    public static LogPosition After(LeaseLogRecord line) => new(line.Attempt, line.Sequence);
}

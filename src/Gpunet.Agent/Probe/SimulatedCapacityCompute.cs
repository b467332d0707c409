using Gpunet.Core.Verification;

namespace Gpunet.Agent.Probe;

/// <summary>The capacity compute of a simulated host (<c>--simulate</c>): correct products on the CPU, answered no
/// earlier than the performing model would take for the check's timing work.</summary>
/// <remarks>The performing model is each GPU's declared one, or <c>--simulate-actual</c>'s: a host claiming one model
/// and performing as a slower one answers late, as a real weaker card would, and a checker catches it by the clock.
/// The wait runs on the injected <see cref="TimeProvider"/> from the moment the seed arrives.</remarks>
/// <param name="gpus">The host's GPUs: index and declared canonical model.</param>
/// <param name="actualModel">The model every GPU performs as; null: its declared one.</param>
internal sealed class SimulatedCapacityCompute(IReadOnlyList<(int Index, string Model)> gpus, string? actualModel, TimeProvider time)
    : ICapacityCompute
{
    /// <summary>How long the performing models take for <paramref name="check"/>'s timing work, on all GPUs at once.</summary>
    public TimeSpan PerformingTime(AnnouncedCheck check) => PerformingTime([.. gpus.Select(g => actualModel ?? g.Model)], check);

    /// <summary>How long GPUs of <paramref name="models"/> take for <paramref name="check"/>'s timing work, all at once.</summary>
    public static TimeSpan PerformingTime(IReadOnlyList<string> models, AnnouncedCheck check)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(check);
        // A check announced without timing work is timed on the work computed.
        var timed = check.TimingSize > 0;
        var size = timed ? check.TimingSize : check.Size;
        var inner = timed ? check.TimingInner : check.Inner;
        var products = check.TimingProducts > 0 ? check.TimingProducts : check.Products;
        return models.Max(m => CapacityTiming.ExpectedTime(m, size, inner, products));
    }

    public async Task<IReadOnlyList<CommittedGpu>> ComputeAsync(MatrixChallenge challenge, AnnouncedCheck check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        // The timer starts with the seed, before any work, so the answer is due at seed + performing time.
        var due = Task.Delay(PerformingTime(check), time, ct);
        var keep = CommittedProduct.Keeps(gpus.Count, check.Products, challenge.Size);
        var committed = await Task.Run(() => gpus.Select(g => new CommittedGpu(g.Index, [.. Enumerable.Range(0, check.Products).Select(p =>
        {
            var derived = challenge.Derive(g.Index, p);
            return CommittedProduct.Commit(derived, MatrixChallengeProduct.Compute(derived), keep);
        })])).ToArray(), ct);
        await due;
        return committed;
    }

    public void Dispose()
    {
    }
}

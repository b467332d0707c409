namespace Gpunet.Coordinator.Concurrency;

/// <summary>Per-key ordering: work for one key (a host's fingerprint, a customer's address) runs one at a time, while
/// work for other keys rarely waits.</summary>
/// <remarks>A fixed set of gates picked by the key's hash: memory stays bounded however many keys there are, at the cost
/// of two keys sometimes sharing a gate. Within one coordinator only; coordinators of a shared store order through it.</remarks>
internal sealed class KeyedGates : IDisposable
{
    private readonly SemaphoreSlim[] _gates;

    public KeyedGates(int count = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _gates = [.. Enumerable.Range(0, count).Select(_ => new SemaphoreSlim(1, 1))];
    }

    /// <summary>The gate of <paramref name="key"/>: wait on it, and release it when the key's work is done.</summary>
    public SemaphoreSlim Of(string key) => _gates[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_gates.Length)];

    public void Dispose()
    {
        foreach (var gate in _gates)
            gate.Dispose();
    }
}

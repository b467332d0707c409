using Gpunet.Coordinator.Concurrency;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>The cap on the leases one customer may have waiting in the queue
/// (<see cref="MarketOptions.MaxQueuedLeasesPerCustomer"/>), counted in the store.</summary>
/// <remarks>Orders of one customer are checked and stored one at a time through a gate (one of a fixed set, picked by
/// the customer's address: bounded memory, and different customers rarely wait on each other). Two coordinators of a
/// shared store each check on their own, so orders through both at the same moment can pass the cap by one order.</remarks>
internal sealed class QueuedLeaseLimit(LeaseStore store, IOptions<MarketOptions> options) : IDisposable
{
    private readonly KeyedGates _gates = new();

    /// <summary>The gate <paramref name="customer"/>'s orders go through while the cap is checked and the order stored.</summary>
    public SemaphoreSlim GateOf(string customer) => _gates.Of(customer);

    /// <summary>Null when <paramref name="customer"/> may queue <paramref name="adding"/> more leases; else the 429 that says
    /// how many wait and the cap.</summary>
    public async Task<ProblemHttpResult?> RefusalAsync(string customer, int adding, CancellationToken ct)
    {
        var cap = options.Value.MaxQueuedLeasesPerCustomer;
        var waiting = await store.QueuedCountAsync(customer, ct);
        if (waiting + adding <= cap)
            return null;
        return TypedResults.Problem(
            detail: $"you have {waiting} leases waiting in the queue and this order adds {adding}; at most {cap} may wait per customer: " +
                "cancel some, or wait until they are placed",
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many queued leases",
            extensions: new Dictionary<string, object?> { ["field"] = "hosts", ["queued"] = waiting, ["limit"] = cap });
    }

    public void Dispose() => _gates.Dispose();
}

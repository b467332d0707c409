using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Hosts;

namespace Gpunet.Coordinator.Storage;

/// <summary>Creates or checks the schema and loads the hosts before the server takes requests.</summary>
internal sealed class StoreStartup(HostStore store, HostRegistry registry, ComplianceService compliance, StoreConnection connection) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StoreSchema.EnsureAsync(connection, cancellationToken);
            // The change sequence first: a host changed while the rest load is read again, never missed.
            var changes = await store.LastChangeAsync(cancellationToken);
            registry.Load(await store.LoadAllAsync(cancellationToken), changes);
            await compliance.LoadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not InvalidOperationException { InnerException: null })
        {
            var root = e;
            while (root.InnerException is not null)
                root = root.InnerException;
            throw new InvalidOperationException($"cannot open the store {connection.Provider} ({connection.Redacted}): {root.Message}", e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

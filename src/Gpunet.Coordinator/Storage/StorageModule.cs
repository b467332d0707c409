using Gpunet.Coordinator.Modules;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Storage;

/// <summary>The store: SQLite by default, PostgreSQL when configured; its schema is readied before anything else starts.</summary>
internal static class StorageModule
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder, CoordinatorOptions settings)
    {
        var services = builder.Services;
        services.AddModuleOptions<StoreOptions>();
        OwnerOnlyFiles.CreateFolder(settings.Store.DataDirectory);
        services.AddSingleton(sp =>
        {
            var store = StoreConnection.Parse(sp.GetRequiredService<IOptions<StoreOptions>>().Value.EffectiveDatabase);
            store.CreateOwnerOnlyFile();
            return store;
        });
        // Pooled: the market's loop opens a context per store call, and building one is most of a small query's cost.
        services.AddPooledDbContextFactory<GpunetDb>((sp, db) => sp.GetRequiredService<StoreConnection>().Configure(db));
        // Hosted services start in the order they are added: the store's start-up comes first.
        services.AddHostedService<StoreStartup>();
        return builder;
    }
}

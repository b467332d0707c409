using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Modules;

/// <summary>How a module registers its options: bound from the <c>Coordinator</c> section, the caller's overrides
/// applied, validated by their annotations and the module's own rules when the coordinator starts.</summary>
internal static class ModuleOptions
{
    public static OptionsBuilder<T> AddModuleOptions<T>(this IServiceCollection services) where T : class =>
        services.AddOptions<T>()
            .BindConfiguration(CoordinatorOptions.Section)
            .Configure<CoordinatorOverrides>((options, overrides) => overrides.Apply(options))
            .ValidateDataAnnotations()
            .ValidateOnStart();
}

namespace Gpunet.Coordinator.Modules;

/// <summary>The settings a caller sets in code (the CLI's flags, a test's), applied after configuration to each
/// module's options as they are built.</summary>
internal sealed class CoordinatorOverrides(Action<CoordinatorOptions>? configure)
{
    public void Apply(object part) => configure?.Invoke(CoordinatorOptions.Around(part));
}

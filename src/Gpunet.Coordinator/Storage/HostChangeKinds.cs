namespace Gpunet.Coordinator.Storage;

/// <summary>The kinds of <see cref="HostChangeRecord"/>.</summary>
internal static class HostChangeKinds
{
    public const string Registered = "registered";
    public const string Described = "described";
    public const string State = "state";
    public const string Gpus = "gpus";
    public const string Leases = "leases";
}

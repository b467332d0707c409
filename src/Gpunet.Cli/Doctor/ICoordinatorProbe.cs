namespace Gpunet.Cli.Doctor;

/// <summary>Asks the coordinator a host is about to join where agents connect, and what time it is there.</summary>
internal interface ICoordinatorProbe
{
    Task<CoordinatorAnswer> AskAsync(Uri coordinator, CancellationToken ct);
}

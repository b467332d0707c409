using Gpunet.Coordinator.Concurrency;
using Gpunet.Core.Geography;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Grpc.Core;

namespace Gpunet.Coordinator.Verification;

/// <summary>One connected checker: who it is, where it says it is, and its outgoing queue.</summary>
internal sealed class CheckerSession(
    Address address, LocationPoint at, CountryCode country,
    IServerStreamWriter<CheckerCoordinatorMessage> writer, string peer, TimeProvider time, ILogger log,
    CancellationToken callAborted, CancellationToken stopping)
    : StreamSession<CheckerCoordinatorMessage>(writer, peer, time, log, callAborted, stopping)
{
    public Address Address { get; } = address;

    /// <summary>Where the checker is: its round trips bound where hosts are.</summary>
    public LocationPoint At { get; } = at;

    public CountryCode Country { get; } = country;

    /// <summary>As the assignment rule sees it: a checker is its own operator.</summary>
    public AssignmentCandidate AsCandidate() => new(Address, Address, At, Country, Licensed: true, Connected: true);
}

using Gpunet.Contracts.Network;

namespace Gpunet.Cli.Doctor;

/// <summary>What a coordinator answered to <c>GET /api/v1/network</c>, and when, by this host's clock.</summary>
/// <param name="Network">Its answer; null when it did not give one.</param>
/// <param name="Date">Its HTTP <c>Date</c> header (whole seconds, truncated); null when absent.</param>
/// <param name="SentAt">This host's clock when the request was sent.</param>
/// <param name="ReceivedAt">This host's clock when the answer came.</param>
/// <param name="Error">Why there was no answer; null when there was.</param>
/// <param name="AgentPortError">Why the agents' gRPC port it names could not be connected to; null when it could (or
/// when there was no answer to name one).</param>
internal sealed record CoordinatorAnswer(
    NetworkView? Network, DateTimeOffset? Date, DateTimeOffset SentAt, DateTimeOffset ReceivedAt, string? Error, string? AgentPortError = null);

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Gpunet.Core.Marketplace;

namespace Gpunet.Contracts.Marketplace;

/// <summary>A lease as the API shows it to its owner.</summary>
/// <param name="StateReason">Why it is in its state: what it waits for while pending (<c>no H100 free in DE</c>), the
/// end's detail once ended.</param>
/// <param name="EndReason">The typed end reason (<c>completed</c>, <c>exit-nonzero</c>, <c>cancelled</c>, …); null while
/// not ended.</param>
/// <param name="SlaTier">The order's SLA tier.</param>
/// <param name="Endpoint">Session and service leases: where to connect, <c>ADDRESS:PORT</c>; null otherwise or until
/// the workload runs.</param>
/// <param name="Credited">SLA credits paid back to the customer for this lease so far, in tokens; null when none.</param>
/// <param name="History">One lease's latest 200 steps, oldest first (null in lists).</param>
/// <param name="HistoryUnlisted">Steps before those listed; null when the history is whole.</param>
public sealed record LeaseView(
    [property: RegularExpression(ApiPatterns.LeaseId)] string Id,
    [property: RegularExpression(ApiPatterns.OrderId)] string OrderId,
    [property: Description("The wallet address that placed the order, or admin for the operator's own"), RegularExpression(ApiPatterns.Actor)] string Owner,
    [property: EnumNames(typeof(LeaseState))] string State,
    [property: MaxLength(TextLimits.Reason)] string StateReason,
    [property: MaxLength(TextLimits.Reason)] string? EndReason,
    DateTimeOffset? EndedAt,
    [property: RegularExpression(ApiPatterns.HostId)] string? HostId,
    [property: MaxLength(ShortLists.GpusPerHost)] IReadOnlyList<int> GpuIndices,
    int GpuMilli,
    [property: MaxLength(TextLimits.Model)] string? GpuModel,
    decimal? PriceUsdPerGpuHour,
    [property: AllowedValues("process", "docker")] string Runtime,
    [property: ItemMaxLength(TextLimits.CommandArgument), MaxLength(OrderValidator.MaxCommandArguments)] IReadOnlyList<string> Command,
    int? ExitCode,
    int Attempt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PlacedAt,
    DateTimeOffset? StartedAt,
    [property: MaxLength(ShortLists.LeaseHistory)] IReadOnlyList<LeaseEventView>? History,
    [property: MaxLength(TextLimits.Label)] string SlaTier = "standard",
    [property: RegularExpression(ApiPatterns.Endpoint)] string? Endpoint = null,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string? Credited = null,
    int? HistoryUnlisted = null);

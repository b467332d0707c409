using Gpunet.Coordinator.Concurrency;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Sla;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Sla;

/// <summary>Declaring and withdrawing a host's maintenance windows: the core's rules (<see cref="MaintenanceRules"/>)
/// against the host's state and its windows in the store, then the store and the matcher's copy.</summary>
/// <remarks>One host's declarations and withdrawals run one at a time on this coordinator (two overlapping windows
/// declared at once cannot both pass); callers have already checked that the caller is the host's operator.</remarks>
internal sealed partial class MaintenanceService(
    MaintenanceStore store, MaintenanceRule rule, IOptions<SlaOptions> options, TimeProvider time,
    ILogger<MaintenanceService> log) : IDisposable
{
    private readonly KeyedGates _gates = new();

    /// <summary>What a declaration came to: the stored window, or every problem with it (nothing stored).</summary>
    public sealed record Declaration(MaintenanceWindowRecord? Window, IReadOnlyList<MaintenanceFieldError> Errors);

    /// <summary>What a withdrawal came to: the window as it now is, and why it was not withdrawn (null: it was, now).</summary>
    public sealed record Withdrawal(MaintenanceWindowRecord? Window, string? Refusal);

    /// <summary>The limits in force, from configuration.</summary>
    public MaintenancePolicy Policy
    {
        get
        {
            var o = options.Value;
            return new MaintenancePolicy(o.MaintenanceNotice, o.MaintenanceMaxLength, o.MaintenanceHorizon, o.MaintenanceMaxStanding);
        }
    }

    /// <summary>Declares [<paramref name="from"/>, <paramref name="to"/>) for <paramref name="host"/> on behalf of
    /// <paramref name="declaredBy"/> (the operator's wallet, or <c>admin</c>).</summary>
    public async Task<Declaration> DeclareAsync(HostEntry host, DateTimeOffset? from, DateTimeOffset? to, string? reason, string declaredBy, CancellationToken ct)
    {
        var gate = _gates.Of(host.Id);
        await gate.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            var standing = await store.StandingAsync(host.Id, now, ct);
            var (state, _, since) = host.Snapshot();
            var errors = MaintenanceRules.Problems(from, to, reason?.Trim(), now, Policy, state, since, [.. standing.Select(w => new MaintenanceWindow(w.Id, w.From, w.To))]);
            if (errors.Count > 0)
                return new Declaration(null, errors);
            var window = new MaintenanceWindowRecord
            {
                HostId = host.Id,
                // The store keeps UTC (PostgreSQL's timestamptz takes no other offset).
                From = from!.Value.ToUniversalTime(),
                To = to!.Value.ToUniversalTime(),
                Reason = reason?.Trim() ?? "",
                DeclaredBy = declaredBy,
                DeclaredAt = now,
            };
            await store.AddAsync(window, ct);
            rule.Declared(window);
            LogDeclared(log, window.Id, host.Id, window.From, window.To, declaredBy);
            return new Declaration(window, []);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Withdraws the host's window <paramref name="id"/> before it begins; null when the host has no such window.</summary>
    public async Task<Withdrawal?> WithdrawAsync(string hostId, long id, string by, CancellationToken ct)
    {
        var gate = _gates.Of(hostId);
        await gate.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            var withdrawn = await store.WithdrawAsync(hostId, id, now, ct);
            if (withdrawn)
            {
                rule.Withdrawn(hostId, id);
                LogWithdrawn(log, id, hostId, by);
            }

            if (await store.GetAsync(hostId, id, ct) is not { } window)
                return null;
            if (withdrawn)
                return new Withdrawal(window, null);
            return new Withdrawal(window, window.CancelledAt is { } at
                ? $"window {id} was already withdrawn at {MaintenanceRules.Time(at)}"
                : $"window {id} began at {MaintenanceRules.Time(window.From)}: a window under way or over cannot be withdrawn");
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => _gates.Dispose();

    [LoggerMessage(EventId = 8100, Level = LogLevel.Information, Message = "Maintenance window {WindowId} declared for host {HostId}: {From:u} to {To:u}, by {DeclaredBy}")]
    private static partial void LogDeclared(ILogger logger, long windowId, string hostId, DateTimeOffset from, DateTimeOffset to, string declaredBy);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Maintenance window {WindowId} of host {HostId} withdrawn by {By}")]
    private static partial void LogWithdrawn(ILogger logger, long windowId, string hostId, string by);
}

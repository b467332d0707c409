using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using Prometheus;

namespace Gpunet.Coordinator.Observability;

/// <summary>What the modules did, beside <see cref="CoordinatorMetrics"/>' view of hosts and leases: ledger transfers and
/// audits, epoch settlement (time per phase, epochs, token totals), compliance decisions, checks, check reports, probe
/// refusals and check holds. Counted as it happens, on this coordinator.</summary>
internal sealed class ModuleMetrics
{
    private static readonly TransferResult[] Results = Enum.GetValues<TransferResult>();

    public ModuleMetrics(CoordinatorMetrics metrics, LedgerService ledger, EpochService epochs, AuditLog audit, CheckDecider checks,
        ReportIntake reports, ProbeRefusalIntake refusals, HostHolds holds)
    {
        var f = metrics.Factory;
        var transfers = f.CreateCounter("gpunet_ledger_transfers_total", "Ledger transfers decided, by result (Ok, Exists, or the refusal).", ["result"]);
        ledger.Written += batch => Count(batch, transfers);
        var audits = f.CreateCounter("gpunet_ledger_audits_total", "Audits of the stored ledger, by outcome (balanced, unbalanced).", ["outcome"]);
        ledger.Audited += a => audits.WithLabels(a.Balanced ? "balanced" : "unbalanced").Inc();

        var settled = f.CreateCounter("gpunet_epochs_settled_total", "Epochs this coordinator settled.");
        var phases = f.CreateHistogram("gpunet_settlement_phase_seconds", "Time one epoch's settlement spent per phase (read, plan, write).", ["phase"],
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 4, 10) });
        var tokens = f.CreateCounter("gpunet_settlement_tokens_total",
            "Tokens moved by settlement, by kind: fees, emission, capacity/delivery/checker rewards, slashed, refunds, SLA credits.", ["kind"]);
        epochs.Settled += (p, totals) =>
        {
            settled.Inc();
            phases.WithLabels("read").Observe(p.Read.TotalSeconds);
            phases.WithLabels("plan").Observe(p.Plan.TotalSeconds);
            phases.WithLabels("write").Observe(p.Write.TotalSeconds);
            foreach (var (kind, amount) in Totals(totals))
                tokens.WithLabels(kind).Inc((double)amount.ToTokens());
        };

        var decisions = f.CreateCounter("gpunet_compliance_decisions_total",
            "Compliance decisions written to the audit log, by rule and outcome (the outcome's first word: refused, approved, …).", ["rule", "outcome"]);
        audit.Recorded += drafts =>
        {
            foreach (var d in drafts)
                decisions.WithLabels(d.Rule, OutcomeWord(d.Outcome)).Inc();
        };

        var decided = f.CreateCounter("gpunet_checks_total", "Checks decided, by kind (liveness, service, capacity, …) and outcome.", ["kind", "outcome"]);
        checks.Decided += (kind, outcome) => decided.WithLabels(kind, outcome).Inc();
        var taken = f.CreateCounter("gpunet_check_reports_total", "Checkers' signed reports, by outcome (accepted, refused).", ["outcome"]);
        reports.Taken += accepted => taken.WithLabels(accepted ? "accepted" : "refused").Inc();

        var refused = f.CreateCounter("gpunet_probe_refusals_total",
            "Probe refusals hosts reported, by attribution: against a checker, the host's claim only, or ignored over a stream's cap.", ["attribution"]);
        var held = f.CreateGauge("gpunet_hosts_held_by_checks", "Hosts held from matching by a failed capacity check.");
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            refused.WithLabels("checker").IncTo(refusals.Recorded);
            refused.WithLabels("host_claim").IncTo(refusals.HostClaims);
            refused.WithLabels("over_cap").IncTo(refusals.OverCap);
            held.Set(holds.Count);
        });
    }

    // One increment per result kind, however large the batch (settlement writes thousands of transfers at once).
    private static void Count(TransferResult[][] batch, Counter transfers)
    {
        Span<int> counts = stackalloc int[Results.Length];
        foreach (var request in batch)
        {
            foreach (var r in request)
                counts[Array.IndexOf(Results, r)]++;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
                transfers.WithLabels(Results[i].ToString()).Inc(counts[i]);
        }
    }

    private static IEnumerable<(string Kind, TokenAmount Amount)> Totals(EpochTotals t) =>
    [
        ("fees", t.Fees), ("emission", t.Emission), ("capacity_rewards", t.CapacityRewards), ("delivery_rewards", t.DeliveryRewards),
        ("checker_rewards", t.CheckerRewards), ("slashed", t.Slashed), ("refunds", t.Refunds), ("sla_credits", t.SlaCredits),
    ];

    /// <summary>An audit outcome's first word ("refused: …" → refused), so the label keeps to the code's few words.</summary>
    internal static string OutcomeWord(string outcome)
    {
        var end = 0;
        while (end < outcome.Length && (char.IsAsciiLetter(outcome[end]) || outcome[end] == '-'))
            end++;
        return end is 0 or > 24 ? "other" : outcome[..end];
    }
}

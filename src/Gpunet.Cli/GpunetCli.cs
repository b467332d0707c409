using Gpunet.Cli.Bench;
using Gpunet.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli;

/// <summary>The <c>gpunet</c> command tree.</summary>
public static class GpunetCli
{
    /// <summary>Runs the CLI; returns the process exit status.</summary>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, console: null);

    /// <summary>Runs the CLI writing to <paramref name="console"/>, where errors propagate as exceptions (tests), or to
    /// the terminal, where an error is one line on stderr.</summary>
    internal static async Task<int> RunAsync(string[] args, IAnsiConsole? console)
    {
        var app = new CommandApp();
        app.Configure(c =>
        {
            c.SetApplicationName("gpunet");
            c.SetApplicationVersion(Gpunet.Coordinator.CoordinatorApp.Version);
            if (console is null)
            {
                c.SetExceptionHandler((e, _) => Fail(e));
            }
            else
            {
                c.ConfigureConsole(console);
                c.PropagateExceptions();
            }

            c.AddCommand<DevnetCommand>("devnet")
                .WithDescription("Run a whole network on this machine: a coordinator and simulated hosts")
                .WithExample("devnet", "--hosts", "12");
            c.AddCommand<CoordinatorCommand>("coordinator").WithDescription("Run a coordinator");
            c.AddCommand<AgentCommand>("agent").WithDescription("Run a host agent")
                .WithExample("agent", "--coordinator", "http://127.0.0.1:7070", "--simulate", "H100-SXM5-80GB:8", "--country", "DE");
            c.AddCommand<DoctorCommand>("doctor").WithDescription("Check this host before its agent joins (driver and CUDA, clock, ports, disk, Docker, sandbox) and say what to fix; exit 1 when a check fails")
                .WithExample("doctor", "--coordinator", "http://coordinator.example:7070");
            c.AddCommand<CheckerCommand>("checker").WithDescription("Run a checker node: verify hosts' liveness, service and GPUs as the coordinator assigns, and sign each report")
                .WithExample("checker", "--coordinator", "http://127.0.0.1:7070", "--lat", "50.11", "--lon", "8.68", "--country", "DE");
            c.AddBranch("keys", k =>
            {
                k.SetDescription("Wallet keys");
                k.AddCommand<KeysNewCommand>("new").WithDescription("Create a new secp256k1 key and print its address");
            });
            c.AddBranch<HostsSettings>("hosts", h =>
            {
                h.SetDescription("Registered hosts");
                h.SetDefaultCommand<HostsListCommand>();
                h.AddCommand<HostsShowCommand>("show").WithDescription("One host, its GPUs and its lifecycle history");
                h.AddCommand<HostsEarningsCommand>("earnings").WithDescription("What one of your hosts earned per settled epoch: capacity and delivery rewards, fees, slashes and SLA credits")
                    .WithExample("hosts", "earnings", "host-0123456789ab", "--limit", "7");
                h.AddCommand<HostsMaintenanceCommand>("maintenance")
                    .WithDescription("A host's maintenance windows; --from and --to declare one ahead of time (your host), --cancel ID withdraws one before it begins")
                    .WithExample("hosts", "maintenance", "host-0123456789ab", "--from", "2026-12-07T02:00Z", "--to", "2026-12-07T04:00Z", "--reason", "\"driver upgrade\"");
            });
            c.AddCommand<AlertsCommand>("alerts").WithDescription("Your alerts now (a low balance, a paused host, a failed check), each with its reason; --webhook URL sends them there too, signed")
                .WithExample("alerts", "--webhook", "https://example.com/gpunet-alerts");
            c.AddCommand<LoginCommand>("login").WithDescription("Sign in and say as whom; --web prints a one-time link that opens the web console signed in")
                .WithExample("login", "--web");
            c.AddCommand<GpusCommand>("gpus").WithDescription("Search free GPUs, e.g. gpunet gpus 'model=H100 count>=8 country in [[DE,FR]] price<=2.5'");
            c.AddCommand<RentCommand>("rent").WithDescription("Rent GPUs: place an order and print its lease; the command after -- runs on the leased GPUs")
                .WithExample("rent", "--gpu", "H100", "--count", "1", "--max-price", "3", "--", "nvidia-smi");
            c.AddBranch<LeasesCommand.Settings>("leases", l =>
            {
                l.SetDescription("Your leases, their state and why");
                l.SetDefaultCommand<LeasesCommand>();
                l.AddCommand<LeasesShowCommand>("show").WithDescription("One lease and its history (every state, host and reason)");
            });
            c.AddBranch("sla", s =>
            {
                s.SetDescription("Service contracts: tiers and reports");
                s.AddCommand<SlaTiersCommand>("tiers").WithDescription("The SLA tiers: availability promised, replacement time, session latency, credits and what a host needs to qualify");
                s.AddCommand<SlaReportCommand>("report").WithDescription("A month's SLA report on a lease, a host or a customer: availability against the promise, downtime windows with causes, credits; --json, --csv or --pdf FILE")
                    .WithExample("sla", "report", "--lease", "lease-0123456789ab", "--month", "2026-03", "--pdf", "report.pdf");
                s.AddCommand<SlaSummaryCommand>("summary").WithDescription("The network operator's month: leases owed SLA credits, credits owed, paid and unpaid, hosts offline and over their SLO allowance")
                    .WithExample("sla", "summary", "--month", "2026-03");
            });
            c.AddCommand<LogsCommand>("logs").WithDescription("What a lease's workload wrote; --follow streams new lines until it ends");
            c.AddCommand<CancelCommand>("cancel").WithDescription("Cancel a lease: its workload is killed and its GPUs released");
            c.AddBranch("wallet", w =>
            {
                w.SetDescription("Your tokens: balances, history, deposits, withdrawals and stake");
                // `gpunet wallet` alone: the balance.
                w.SetDefaultCommand<WalletBalanceCommand>();
                w.AddCommand<WalletBalanceCommand>("balance").WithDescription("Available, held for leases, staked per host, unbonding and vesting, with when each unbonding entry and vesting tranche becomes available");
                w.AddCommand<WalletHistoryCommand>("history").WithDescription("Transfers in and out of your accounts, newest first");
                w.AddCommand<WalletDepositCommand>("deposit").WithDescription("Take tokens from the faucet (devnet), or, as the operator, record a deposit --to an address");
                w.AddCommand<WalletWithdrawCommand>("withdraw").WithDescription("Withdraw available tokens (needs approved KYC)");
                w.AddCommand<WalletStakeCommand>("stake").WithDescription("Stake behind one of your hosts; a host is matched only once fully staked");
                w.AddCommand<WalletUnstakeCommand>("unstake").WithDescription("Start unbonding stake; it becomes available after the unbonding period (180 days)");
            });
            c.AddCommand<EpochsCommand>("epochs").WithDescription("Settled epochs: fees, protocol fees, emission, rewards, slashes, refunds and releases");
            c.AddBranch("ledger", l =>
            {
                l.SetDescription("The token ledger");
                l.AddCommand<LedgerVerifyCommand>("verify").WithDescription("Audit the stored ledger: balanced, total supply, sum of balances");
            });
            c.AddBranch("kyc", k =>
            {
                k.SetDescription("Identity verification: KYC for persons, KYB for companies; approved KYC is needed to take part");
                k.AddCommand<KycSubmitCommand>("submit").WithDescription("Submit your identity (--person) or your company's (--company), or a document --file DOC.json")
                    .WithExample("kyc", "submit", "--person", "--name", "\"Jane Doe\"", "--dob", "1980-04-01", "--country", "DE", "--document", "C01X00T47", "--document-country", "DE")
                    .WithExample("kyc", "submit", "--company", "--name", "\"Acme GmbH\"", "--registration", "\"HRB 12345\"", "--country", "DE", "--owner", "\"Jane Doe,DE,60,1980-04-01\"");
                k.AddCommand<KycStatusCommand>("status").WithDescription("Where your own verification stands");
                k.AddCommand<KycListCommand>("list").WithDescription("Submissions, newest first, with their screening (compliance officers)");
                k.AddCommand<KycShowCommand>("show").WithDescription("One submission: every field and the document as submitted");
                k.AddCommand<KycApproveCommand>("approve").WithDescription("Approve a pending submission (compliance officers)");
                k.AddCommand<KycRejectCommand>("reject").WithDescription("Reject a pending submission with a reason; --final refuses any new one (compliance officers)");
            });
            c.AddBranch("compliance", co =>
            {
                co.SetDescription("The compliance policy, the sanctions list and why a host may not serve");
                co.AddBranch("policy", p =>
                {
                    p.SetDescription("The policy: blocked jurisdictions and regions, controlled GPU classes, restricted customers, residency zones");
                    // `gpunet compliance policy` alone: the policy in force.
                    p.SetDefaultCommand<CompliancePolicyShowCommand>();
                    p.AddCommand<CompliancePolicyShowCommand>("show").WithDescription("The policy in force: version, when and by whom applied, and its YAML");
                    p.AddCommand<CompliancePolicyValidateCommand>("validate").WithDescription("Check a policy file here, every error with its line; no coordinator needed");
                    p.AddCommand<CompliancePolicyApplyCommand>("apply").WithDescription("Apply a policy file: refused whole with each error's line, or applied and every host and lease evaluated again (compliance officers)");
                });
                co.AddCommand<ComplianceImportSdnCommand>("import-sdn").WithDescription("Import OFAC's SDN list (SDN.CSV with its ALT.CSV aliases) and screen everyone again (compliance officers)")
                    .WithExample("compliance", "import-sdn", "sdn.csv", "--alt", "alt.csv");
                co.AddCommand<ComplianceSanctionsCommand>("sanctions").WithDescription("The sanctions list in force: version, entries, names, source, when imported");
                co.AddCommand<ComplianceHostCommand>("host").WithDescription("Whether a host may serve: every rule that stops it, its operator's KYC and its location check");
                co.AddCommand<ComplianceClearLocationCommand>("clear-location").WithDescription("Clear a host whose address did not confirm its declared location, with the evidence (compliance officers)");
            });
            c.AddBranch("audit", a =>
            {
                a.SetDescription("The hash-chained log of compliance decisions");
                a.AddCommand<AuditVerifyCommand>("verify").WithDescription("Recompute the hash chain: valid, or the first altered or removed entry");
                a.AddCommand<AuditListCommand>("list").WithDescription("Compliance decisions, newest first: subject, rule, outcome, who decided, list and policy versions (compliance officers)");
            });
            c.AddBranch("checkers", k =>
            {
                k.SetDescription("Checker nodes: who holds a licence to verify hosts");
                k.SetDefaultCommand<CheckersCommand>();
                k.AddCommand<CheckersGrantCommand>("grant").WithDescription("Grant a wallet a checker licence (the network operator)");
                k.AddCommand<CheckersRevokeCommand>("revoke").WithDescription("Revoke a checker's licence, with the reason (the network operator)");
            });
            c.AddBranch("honeypots", h =>
            {
                h.SetDescription("Hosts the network's operator planted as honeypots, to catch checkers that pass without looking (the network operator)");
                h.SetDefaultCommand<HoneypotsCommand>();
                h.AddCommand<HoneypotsPlantCommand>("plant").WithDescription("Plant a registered host whose agent runs with --honeypot (the network operator)");
                h.AddCommand<HoneypotsRetireCommand>("retire").WithDescription("Retire a planted host: its earlier checks are then shown as honeypots (the network operator)");
            });
            c.AddCommand<ChecksCommand>("checks").WithDescription("Checks of hosts by checkers, newest first; with an id, one check with every signed report, the majority and the consequence")
                .WithExample("checks", "--host", "host-0123456789ab").WithExample("checks", "chk_0123456789abcdef01234567", "--json");
            c.AddBranch("bench", b =>
            {
                b.SetDescription("Benchmarks of the real system");
                b.AddCommand<BenchHeartbeatsCommand>("heartbeats").WithDescription("Heartbeats/s through real gRPC streams into a real coordinator");
                b.AddCommand<BenchHeartbeatAgentsCommand>("heartbeat-agents").IsHidden();
                b.AddCommand<BenchTraceCommand>("trace").WithDescription("Replays an Alibaba GPU-cluster trace through the matcher with each placement policy");
                b.AddCommand<BenchLedgerCommand>("ledger").WithDescription("Durable ledger transfers/s (the ledger's rules in memory, written in batches to the store, audited), the time to settle one epoch for --hosts staked hosts through a real coordinator, and on PostgreSQL pgbench's own TPS on the same server");
                b.AddCommand<BenchKillsCommand>("kills").WithDescription("SIGKILLs of a real coordinator process at seeded random moments while real agents run leases: ledger balanced, each epoch settled once, billed time against the workloads' run time");
                b.AddCommand<BenchRentCommand>("rent").WithDescription("Orders through the REST API to workloads running on simulated hosts (matcher, store, agent stream, a real process start): orders/s and order-to-running p50/p99, and where the time goes");
                b.AddCommand<BenchPlacementCommand>("placement").WithDescription("Durable placements/s and decision latency: a policy placing GPUs on N hosts, committed in batches to the store");
                b.AddCommand<BenchVerifyCommand>("verify").WithDescription("Capacity-check verification against recomputation on one CPU core: a checker's Freivalds check of opened, Merkle-committed rows of C = A·B (int8, n = 2048) against generating A, B and multiplying; prints verifyMs, recomputeMs and their ratio");
            });
            c.AddBranch("sim", m =>
            {
                m.SetDescription("Seeded simulations of the whole network");
                m.SetDefaultCommand<SimVerificationCommand>();
                m.AddCommand<SimChaosCommand>("chaos").WithDescription("Agents, customers and a crashing coordinator under faults (partitions, lost and late messages, clock skew, failing store writes), every invariant checked after every step; the same seed replays a run")
                    .WithExample("sim", "chaos", "--seed", "7", "--steps", "1000000");
                m.AddExample("sim", "--hosts", "200", "--checkers", "15", "--cheaters", "0.1", "--days", "2", "--seed", "1");
            });
        });
        if (console is null && Console.IsOutputRedirected && WidthFromColumns(Environment.GetEnvironmentVariable("COLUMNS")) is { } width)
            AnsiConsole.Profile.Width = width;
        return await app.RunAsync(BenchVerifyCommand.SpelledOut(args));
    }

    /// <summary>The width tables are laid out in when the output is not a terminal (a pipe, a file): <c>COLUMNS</c>, as
    /// shells and other tools read it, where it is a sensible width; otherwise Spectre's 80.</summary>
    internal static int? WidthFromColumns(string? columns) =>
        int.TryParse(columns, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var width)
            && width is >= 20 and <= 10_000 ? width : null;

    /// <summary>One line on stderr and a non-zero status, for any error.</summary>
    internal static int Fail(Exception e)
    {
        var message = e switch
        {
            CommandAppException c => c.Message,
            CliException c => c.Message,
            AggregateException { InnerExceptions.Count: 1 } a => a.InnerException!.Message,
            _ => e.Message,
        };
        // The first line is the reason; a CliException may add lines that point at the problem (a query's caret).
        if (e is not CliException)
            message = message.ReplaceLineEndings(" ");
        Console.Error.WriteLine($"gpunet: {message.Trim()}");
        return e is CommandAppException ? 2 : 1;
    }
}

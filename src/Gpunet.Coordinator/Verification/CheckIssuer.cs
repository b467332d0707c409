using System.Security.Cryptography;
using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Gpus;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>Issues one check: picks its 2N+1 checkers (at random, never the host's operator, spread by location),
/// stores it, tells the host's agent which checkers to answer, then gives each checker its assignment.</summary>
internal sealed partial class CheckIssuer(
    IDbContextFactory<GpunetDb> store, CheckerRoster roster, CheckBook book, Honeypot honeypot, PlantedHosts planted, CheckerStandings standings,
    IOptions<VerificationOptions> options, TimeProvider time, ILogger<CheckIssuer> log)
{
    /// <summary>How long the agent has to take in its ExpectCheck before the checkers' first probes arrive: the two
    /// travel on different streams.</summary>
    internal static readonly TimeSpan AnnounceLead = TimeSpan.FromMilliseconds(300);

    // Every field written, zeros too (GPU index 0), so that the stored task reads whole.
    private static readonly JsonFormatter TaskJson = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    private readonly VerificationOptions _options = options.Value;

    /// <summary>Issues a <paramref name="kind"/> check of <paramref name="host"/> and tells its agent; null (and nothing
    /// stored) when there are no free checkers or the host has no probe endpoint. The checkers get it from
    /// <see cref="Assign"/>, after <see cref="AnnounceLead"/>.</summary>
    public async Task<OpenCheck?> IssueAsync(HostEntry host, string kind, CancellationToken ct)
    {
        if (host.ProbeEndpoint is null || host.Session is not { } agent)
            return null;
        var hostOperator = Address.Parse(host.Record.Address);
        var chosen = Choose(hostOperator, FirstPanel(hostOperator));
        if (chosen is null)
            return null;
        var task = kind == CheckKind.Capacity ? CapacityTaskFor(host.Record) : null;
        var check = New(host.Id, host.Record.Address, kind, chosen, task, honeypot: false, host, first: null);
        // A trap of a planted host: only one whose agent heeds traps, at the share of its checks that are.
        check.Record.Planted = host.HoneypotAgent && planted.IsActive(host.Id)
            && RandomNumberGenerator.GetInt32(1_000_000) < _options.PlantedTrapShare * 1_000_000;
        await StoreAsync(check, ct);
        Announce(agent, check);
        return check;
    }

    /// <summary>The second panel of <paramref name="first"/>, a check whose first panel split (<see cref="PanelRules"/>):
    /// the same task to twice as many checkers, none of the first panel's. Not stored: the decider stores it with the
    /// first panel's decision, in one write, and then opens it (<see cref="Escalated"/>), so that a write that fails
    /// leaves neither. Null when fewer than two others are free or the host is gone: the first panel then decides.</summary>
    public OpenCheck? Escalate(OpenCheck first)
    {
        if (first.Host is not { ProbeEndpoint: not null, Session: not null } host)
            return null;
        var hostOperator = Address.Parse(first.Record.HostOperator);
        var chosen = Choose(hostOperator, free => CheckerAssignmentRules.AssignSecondPanel(free, hostOperator, Seed(), first.Checkers));
        return chosen is null ? null : New(host.Id, first.Record.HostOperator, first.Record.Kind, chosen, first.Task, honeypot: false, host, first);
    }

    /// <summary>A second panel made by <see cref="Escalate"/> is stored: it is open from now on, and the host's agent is
    /// told which checkers to answer. The checkers get it from <see cref="Assign"/>, at the scheduler's next tick.</summary>
    public void Escalated(OpenCheck second)
    {
        Open(second);
        if (second.Host?.Session is { } agent)
            Announce(agent, second);
    }

    // Tells the host's agent which checkers to answer on the check, and the work they will ask for.
    private static void Announce(AgentSession agent, OpenCheck check)
    {
        var task = check.Task;
        agent.Post(new CoordinatorMessage
        {
            Command = new Command
            {
                Id = "check-" + check.Id,
                ExpectCheck = new ExpectCheck
                {
                    CheckId = check.Id, Kind = check.Record.Kind, Checkers = { check.Assigned.Select(c => c.Checker.Value) },
                    ExpiresAtUnixMs = check.Record.Deadline.ToUnixTimeMilliseconds(),
                    Size = task?.Size ?? 0, Products = task?.Products ?? 0, InnerSize = task?.InnerSize ?? 0,
                    TimingSize = task?.TimingSize ?? 0, TimingProducts = task?.TimingProducts ?? 0, TimingInnerSize = task?.TimingInnerSize ?? 0,
                    Trap = check.Record.Planted,
                },
            },
        });
    }

    /// <summary>Plants a known-bad host among the assignments: a check of <paramref name="kind"/> (capacity or liveness)
    /// whose probe endpoint is this coordinator's honeypot, which answers a capacity check wrong and a liveness check
    /// never. A checker that passes it is marked incorrect.</summary>
    public async Task<OpenCheck?> IssueHoneypotAsync(string kind, CancellationToken ct)
    {
        var decoy = Address.Parse("0x" + RandomNumberGenerator.GetHexString(40, lowercase: true));
        var chosen = Choose(decoy, FirstPanel(decoy));
        if (chosen is null)
            return null;
        var hostId = HostId.FromFingerprint(RandomNumberGenerator.GetHexString(64, lowercase: true)).Value;
        var record = new HostRecord
        {
            Id = hostId, Address = decoy.Value, Fingerprint = "-", Hostname = "-", Country = "US", State = nameof(HostState.Ready), Simulated = true,
            Gpus = [new GpuRecord { HostId = hostId, Index = 0, Uuid = "-", Model = GpuCatalog.All[0].Name }],
        };
        var task = kind == CheckKind.Capacity ? CapacityTaskFor(record) : null;
        var check = New(hostId, decoy.Value, kind, chosen, task, honeypot: true, host: null, first: null);
        await StoreAsync(check, ct);
        honeypot.Expect(check);
        return check;
    }

    // The checkers `draw` picks from the connected ones that have room (a first panel: 2N+1, the largest odd number
    // there are when fewer); null when none, or when the draw cannot be made.
    private List<AssignmentCandidate>? Choose(Address hostOperator, Func<List<AssignmentCandidate>, CheckerAssignment> draw)
    {
        var now = time.GetUtcNow();
        var free = roster.Connected.Where(s => book.OpenFor(s.Address.Value) < _options.MaxOpenPerChecker && s.Address != hostOperator
                && !standings.Suspended(s.Address.Value, now))
            .Select(s => s.AsCandidate()).ToList();
        if (free.Count == 0)
            return null;
        var assignment = draw(free);
        return assignment.Assigned ? [.. assignment.Chosen] : null;
    }

    // A first panel's draw for a host run by `hostOperator`.
    private Func<List<AssignmentCandidate>, CheckerAssignment> FirstPanel(Address hostOperator) =>
        free => CheckerAssignmentRules.AssignFirstPanel(free, hostOperator, Seed(), _options.CheckersN);

    // A seed the host cannot predict, for each draw.
    private static ulong Seed() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));

    private CapacityTask CapacityTaskFor(HostRecord host)
    {
        var timing = _options.TimingOptions();
        // Sized so that the fastest claimed card works about the target time; slower claimed cards take longer.
        var fastest = host.Gpus.Select(g => g.Model).Where(m => GpuThroughput.TryGet(m, out _))
            .MaxBy(m => GpuThroughput.For(m).ExpectedOperationsPerSecond);
        // A real host computes the timed work itself, at most MaxProducts; a simulated one computes one small square
        // product and is timed (it waits) as a real one doing all the target's work, uncapped. A real host whose timing
        // is only reported computes square products: rows and GPUs are what its check can prove.
        var reportOnly = !host.Simulated && !_options.EnforceRealGpuTiming;
        var work = (fastest, reportOnly) switch
        {
            (null, _) => new CapacityWork(reportOnly ? _options.CapacitySize : _options.MaxInnerSize, 1),
            (_, true) => new CapacityWork(_options.CapacitySize, Math.Min(CapacityTiming.ProductsFor(fastest, _options.CapacitySize, timing), _options.MaxProducts)),
            _ => CapacityTiming.WorkFor(fastest, _options.CapacitySize, _options.MaxInnerSize, host.Simulated ? int.MaxValue : _options.MaxProducts, timing),
        };
        var task = new CapacityTask
        {
            TimingSize = _options.CapacitySize,
            TimingInnerSize = work.InnerSize,
            TimingProducts = work.Products,
            Size = host.Simulated ? _options.SimulatedCapacitySize : _options.CapacitySize,
            InnerSize = host.Simulated ? _options.SimulatedCapacitySize : work.InnerSize,
            Products = host.Simulated ? 1 : work.Products,
            OpenedRows = _options.OpenedRows,
            SecurityBits = _options.SecurityBits,
            CardBand = timing.CardBand,
            JitterBand = timing.JitterBand,
            TimingReportOnly = reportOnly,
        };
        // The rows are drawn over every product's rows (CapacityRowPlan), so a GPU has size × products to open.
        task.OpenedRows = (int)Math.Min(task.OpenedRows, (long)task.Size * task.Products);
        task.Gpus.AddRange(host.Gpus.OrderBy(g => g.Index).Select(g => new ClaimedGpu { Index = g.Index, Model = g.Model }));
        return task;
    }

    private TimeSpan Allowance(CapacityTask? task)
    {
        if (task is null)
            return _options.ReportGrace;
        // A card a quarter of the claimed speed still answers before the deadline, so that timing (not silence) fails it.
        var expected = task.Gpus.Select(g => CapacityTiming.ExpectedTimeOfTask(g.Model, task.TimingSize, task.TimingInnerSize, task.TimingProducts))
            .DefaultIfEmpty(TimeSpan.Zero).Max();
        return (expected * 4) + _options.ReportGrace;
    }

    // A new check, not stored yet.
    private OpenCheck New(string hostId, string hostOperator, string kind, List<AssignmentCandidate> chosen,
        CapacityTask? task, bool honeypot, HostEntry? host, OpenCheck? first)
    {
        var now = StoreTime.Now(time);
        // A second panel is assigned at the scheduler's next tick, not at once: its deadline leaves room for that.
        var assignedWithin = first is null ? AnnounceLead : _options.SchedulerInterval + AnnounceLead;
        var record = new CheckRecord
        {
            Id = "chk_" + RandomNumberGenerator.GetHexString(24, lowercase: true),
            HostId = hostId, HostOperator = hostOperator, Kind = kind, IssuedAt = now, Deadline = now + assignedWithin + Allowance(task),
            Checkers = string.Join(',', chosen.Select(c => c.Checker.Value)),
            Task = first is not null ? first.Record.Task : task is null ? null : TaskJson.Format(task),
            Honeypot = honeypot, Outcome = CheckOutcomes.Pending, EscalatedFrom = first?.Id,
        };
        return new OpenCheck(record, chosen, task, host, first);
    }

    // Stores a new check, and opens it.
    private async Task StoreAsync(OpenCheck check, CancellationToken ct)
    {
        await using (var db = await store.CreateDbContextAsync(ct))
        {
            db.Checks.Add(check.Record);
            await db.SaveChangesAsync(ct);
        }

        Open(check);
    }

    // A stored check is open: its reports are taken from now on.
    private void Open(OpenCheck check)
    {
        book.Add(check);
        LogIssued(log, check.Id, check.Record.Kind, check.Record.HostId, check.Record.Checkers);
    }

    /// <summary>Gives each of the check's checkers its assignment.</summary>
    public void Assign(OpenCheck check)
    {
        var endpoint = check.Host?.ProbeEndpoint ?? honeypot.Endpoint;
        var assignment = new Assignment
        {
            CheckId = check.Id, Kind = check.Record.Kind, HostId = check.Record.HostId, ProbeEndpoint = endpoint,
            IssuedAtUnixMs = check.Record.IssuedAt.ToUnixTimeMilliseconds(), DeadlineUnixMs = check.Record.Deadline.ToUnixTimeMilliseconds(),
            Checkers = { check.Assigned.Select(a => a.Checker.Value) },
            Capacity = check.Task,
        };
        foreach (var checker in check.Assigned)
        {
            // A checker that left since it was picked misses this check (neither right nor wrong).
            roster.Of(checker.Checker.Value)?.Post(new CheckerCoordinatorMessage { Assignment = For(checker, assignment, check) });
        }
    }

    /// <summary>The checker's own copy of a capacity check's assignment: with the cap on its timing allowance from where it
    /// is to where the host says it is. Other kinds and honeypots are the same for every checker.</summary>
    private Assignment For(AssignmentCandidate checker, Assignment assignment, OpenCheck check)
    {
        if (check.Task is null || check.Host is not { } host)
            return assignment;
        var own = assignment.Clone();
        var declared = new LocationPoint(host.Record.Latitude, host.Record.Longitude);
        own.AllowanceCapUs = RoundTripCap.For(checker.At, declared, _options.AllowanceFloor).Ticks / TimeSpan.TicksPerMicrosecond;
        return own;
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Debug, Message = "Check {CheckId} ({Kind}) of host {HostId} assigned to {Checkers}")]
    private static partial void LogIssued(ILogger logger, string checkId, string kind, string hostId, string checkers);
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Observability;
using Gpunet.Coordinator.Sla;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Orders and leases over REST: a customer sees and controls only their own; an operator sees all.</summary>
internal static class MarketApi
{
    private static readonly ListLimit LeasesLimit = new(Default: 500, Maximum: 10_000);

    public static RouteGroupBuilder MapMarketApi(this RouteGroupBuilder api)
    {
        api.MapPost("/orders", Order).WithTags("Marketplace").WithName("PlaceOrder")
            .WithSummary("Place an order")
            .WithDescription("Places an order: its leases are placed at once when capacity fits, else they wait in the queue with the reason")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);
        var leases = api.MapGroup("/leases").WithTags("Marketplace");
        leases.MapGet("/", List).WithName("ListLeases").WithSummary("List leases").WithDescription("Your leases, newest first (an operator sees every lease)")
            .WithParameterNames<LeaseState>("state").WithListLimit(LeasesLimit);
        leases.MapGet("/{id}", Get).WithName("GetLease").WithSummary("Get a lease").WithDescription("One lease with its history")
            .WithParameter("id", OpenApiContract.LeaseIdPattern).ProducesProblem(StatusCodes.Status404NotFound);
        leases.MapPost("/{id}/cancel", Cancel).WithName("CancelLease").WithSummary("Cancel a lease")
            .WithDescription("Cancels a lease: its workload is killed and its GPUs released")
            .WithParameter("id", OpenApiContract.LeaseIdPattern).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        leases.MapGet("/{id}/logs", Logs).WithName("LeaseLogs")
            .WithSummary("A lease's output")
            .WithDescription("The lines the lease's workload wrote, as newline-delimited JSON; follow=true streams new lines until the lease ends")
            .Produces<LogLineView>(StatusCodes.Status200OK, "application/x-ndjson")
            .WithParameter("id", OpenApiContract.LeaseIdPattern).WithParameter("after", minimum: 0)
            .WithParameter("attempt", minimum: 1).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    private static string? Owner(ClaimsPrincipal user) =>
        user.IsInRole(GpunetClaims.AdminRole) ? null : user.FindFirstValue(GpunetClaims.Address) ?? "";

    private static async Task<Results<Created<OrderView>, ProblemHttpResult>> Order(
        OrderRequest request, ClaimsPrincipal user, Market market, LeaseStore store, HostRegistry registry, TimeProvider time,
        LedgerService ledger, IPriceFeed prices, EconomicsOptions economics, ComplianceService compliance, QueuedLeaseLimit queueLimit,
        IOptions<MarketOptions> options, SlaTiers tiers, CancellationToken ct)
    {
        // "More GPUs than any host has" counts every registered host, ready or not (none registered: no such check).
        var hosts = registry.Entries;
        var (spec, errors) = request.ToSpec(hosts.Count == 0 ? null : hosts.Max(e => e.Record.Gpus.Count), tiers);
        if (errors.Count > 0)
        {
            return TypedResults.Problem(
                detail: Problems.Summary(errors),
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid order",
                extensions: Problems.Listing(errors[0].Field, errors, e => new FieldProblem(e.Field, e.Message)));
        }

        var now = time.GetUtcNow();
        var owner = Owner(user) ?? GpunetClaims.AdminRole;
        var residency = string.IsNullOrWhiteSpace(request.Residency) ? null : request.Residency.Trim();
        if (compliance.OrderGateFor(owner, residency).Refusal(OrderMatcher.RequestFor(spec).AcceptableModels) is { } refused)
        {
            await compliance.RecordAsync(owner, "order-gate", new { gpu = request.Gpu, residency, countries = request.Countries }, $"refused: {refused.Describe()}", owner, ct);
            var badZone = refused.Reasons.All(r => r.Rule == ComplianceRules.OutsideResidencyZone);
            return TypedResults.Problem(
                detail: refused.Describe(),
                statusCode: badZone ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden,
                title: badZone ? "Invalid order" : "Refused by compliance",
                extensions: new Dictionary<string, object?>
                {
                    ["field"] = badZone ? "residency" : "compliance",
                    ["rules"] = refused.Rules,
                    ["policyVersion"] = refused.PolicyVersion,
                });
        }

        var order = new OrderRecord
        {
            Id = "ord-" + RandomNumberGenerator.GetHexString(12, lowercase: true),
            Owner = owner,
            Spec = StoredOrder.Of(request).Write(),
            Hosts = spec.Hosts,
            CreatedAt = now,
            QueueDeadline = now + spec.QueueTimeout,
        };
        var leases = Enumerable.Range(0, spec.Hosts).Select(i => new LeaseRecord
        {
            Id = LeaseId.FromRandom(RandomNumberGenerator.GetBytes(6)).Value,
            OrderId = order.Id,
            Owner = owner,
            Member = i,
            State = nameof(LeaseState.Pending),
            StateReason = "waiting for the matcher",
            SlaTier = spec.SlaTier,
            CreatedAt = now,
        }).ToList();
        if (owner == GpunetClaims.AdminRole)
        {
            // An operator's orders (tests of the network itself) are not billed: the operator has no wallet.
            await market.SubmitAsync(order, request, spec, leases);
        }
        else
        {
            // The cap is checked and the order stored under the customer's gate: two orders at once cannot both pass it.
            var admission = CoordinatorTelemetry.StartAdmission();
            var gate = queueLimit.GateOf(owner);
            await gate.WaitAsync(ct);
            try
            {
                if (await queueLimit.RefusalAsync(owner, spec.Hosts, ct) is { } refusal)
                    return refusal;
                var minimum = TokenAmount.FromTokens(options.Value.MinimumLeaseHold);
                var (billing, transfers) = OrderFunding.Plan(Address.Parse(owner), spec, leases, prices.Current(), economics, minimum);
                // The order exists exactly when its escrow does: both commit in the ledger's transaction, or neither.
                var results = await ledger.SubmitAsync(transfers, async (connection, tx, r, token) =>
                {
                    if (r.Any(x => x != TransferResult.Ok))
                        return;
                    await LeaseStore.AddOrderAsync(connection, tx, order, leases, billing, token);
                }, ct);
                var failed = Array.FindIndex(results, x => x != TransferResult.Ok && x != TransferResult.LinkedEventFailed);
                if (failed >= 0)
                {
                    var need = transfers.Aggregate(TokenAmount.Zero, (sum, t) => sum + t.Amount);
                    var have = (await ledger.AccountsAsync([transfers[0].Debit], ct))[0]?.Available ?? TokenAmount.Zero;
                    return TypedResults.Problem(
                        detail: results[failed] == TransferResult.InsufficientFunds
                            ? $"insufficient funds: this order takes {need} tokens ({(spec.Type == OrderType.Reserve ? "its whole term prepaid" : "its first period held")} " +
                              $"at the max price, {prices.Current()}, and at least {minimum} per lease while it waits); you have {have} available"
                            : $"the order's escrow was refused: {results[failed]}",
                        statusCode: StatusCodes.Status400BadRequest,
                        title: "Invalid order",
                        extensions: new Dictionary<string, object?> { ["field"] = "funds" });
                }
            }
            finally
            {
                gate.Release();
                admission?.Stop();
            }

            using (CoordinatorTelemetry.StartSubmit())
                await market.SubmitAsync(order, request, spec, leases, stored: true);
        }

        var stored = await store.OrderLeasesAsync(order.Id, ct);
        var views = stored.Select(l => View(l, request, null)).ToList();
        var first = views[0];
        return TypedResults.Created($"/api/v1/leases/{first.Id}", new OrderView(order.Id, first.Id, first.State, first.StateReason, views));
    }

    private static async Task<Results<Ok<List<LeaseView>>, ProblemHttpResult>> List(
        ClaimsPrincipal user, LeaseStore store, string? state, int? limit, CancellationToken ct)
    {
        if (LeasesLimit.Refuse(limit) is { } refused)
            return refused;
        if (!string.IsNullOrEmpty(state) && !Enum.TryParse<LeaseState>(state, ignoreCase: true, out _))
            return Problems.Field("state", $"unknown state '{state}'; expected one of {string.Join(", ", Enum.GetNames<LeaseState>())}");
        var rows = await store.LeasesAsync(Owner(user), LeasesLimit.Of(limit), ct);
        if (!string.IsNullOrEmpty(state))
            rows = [.. rows.Where(l => string.Equals(l.State, state, StringComparison.OrdinalIgnoreCase))];
        var orders = new Dictionary<string, OrderRequest?>(StringComparer.Ordinal);
        var credited = await store.CreditedAsync([.. rows.Select(l => l.Id)], ct);
        var views = new List<LeaseView>(rows.Count);
        foreach (var l in rows)
        {
            if (!orders.TryGetValue(l.OrderId, out var request))
                orders[l.OrderId] = request = await RequestAsync(store, l.OrderId, ct);
            views.Add(View(l, request, null, credited.GetValueOrDefault(l.Id)));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<LeaseView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, LeaseStore store, CancellationToken ct)
    {
        if (!IsLeaseId(id))
            return BadId(id);
        var lease = await store.LeaseAsync(id, ct);
        if (lease is null || !Visible(lease, user))
            return Problems.NotFound($"no lease {id}");
        return TypedResults.Ok(await ViewAsync(store, lease, ct));
    }

    /// <summary>One lease as <c>GET /leases/{id}</c> shows it: with its history and the SLA credits paid on it.</summary>
    internal static async Task<LeaseView> ViewAsync(LeaseStore store, LeaseRecord lease, CancellationToken ct)
    {
        var history = await store.HistoryAsync(lease.Id, ct);
        var credited = (await store.CreditedAsync([lease.Id], ct)).GetValueOrDefault(lease.Id);
        return View(lease, await RequestAsync(store, lease.OrderId, ct), history, credited);
    }

    private static async Task<Results<Ok<LeaseView>, ProblemHttpResult>> Cancel(string id, ClaimsPrincipal user, Market market, LeaseStore store, CancellationToken ct)
    {
        if (!IsLeaseId(id))
            return BadId(id);
        var (lease, error) = await market.CancelAsync(id, Owner(user));
        if (lease is null)
            return Problems.NotFound($"no lease {id}");
        if (error is not null)
            return TypedResults.Problem(detail: error, statusCode: StatusCodes.Status409Conflict, title: "Already ended");
        return TypedResults.Ok(View(lease, await RequestAsync(store, lease.OrderId, ct), await store.HistoryAsync(id, ct)));
    }

    private static async Task<IResult> Logs(
        string id, ClaimsPrincipal user, LeaseStore store, Market market, LeaseLogFeed feed, IOptions<MarketOptions> options,
        HttpContext http, long? after, int? attempt, bool? follow, CancellationToken ct)
    {
        if (!IsLeaseId(id))
            return BadId(id);
        if (after is < 0)
            return Problems.Field("after", "a sequence number, 0 or more");
        if (attempt is < 1)
            return Problems.Field("attempt", "an attempt number, 1 or more");
        // Lines after line `after` of attempt `attempt` (default: the first attempt), then every later attempt's.
        var position = new LogPosition(attempt ?? 1, after ?? 0);
        var lease = await store.LeaseAsync(id, ct);
        if (lease is null || !Visible(lease, user))
            return Problems.NotFound($"no lease {id}");
        if (follow != true)
        {
            http.Response.ContentType = "application/x-ndjson";
            await WriteStoredAsync(store, id, position, http.Response.Body, ct);
            return Results.Empty;
        }

        // A follow stream is held open for the lease's life: a customer may keep only so many (the operator any).
        var customer = Owner(user);
        var cap = options.Value.MaxLogFollowsPerCustomer;
        if (customer is not null && !feed.TryOpen(customer, cap, out var open))
        {
            return TypedResults.Problem(
                detail: $"you have {open} log streams open (follow=true); at most {cap} per customer: close one, or read without follow",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many log streams",
                extensions: new Dictionary<string, object?> { ["field"] = "follow", ["open"] = open, ["limit"] = cap });
        }

        try
        {
            http.Response.ContentType = "application/x-ndjson";
            await FollowAsync(store, market, feed, id, position, http.Response.Body, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The follower went away.
        }
        finally
        {
            if (customer is not null)
                feed.Close(customer);
        }

        return Results.Empty;
    }

    /// <summary>How often a follow stream looks at the store for lines and the lease's end when this coordinator does not
    /// receive the lease's lines (it is served through another coordinator of a shared store); and, much more rarely,
    /// when it does (a safety net: pushes normally bring every line and the end).</summary>
    internal static readonly TimeSpan ForeignPoll = TimeSpan.FromSeconds(2), LocalPoll = TimeSpan.FromSeconds(30);

    /// <summary>Streams a lease's lines until it ends: what is stored after <paramref name="position"/>, then the lines
    /// pushed as agents send them (<see cref="LeaseLogFeed"/>), each once and in order.</summary>
    private static async Task FollowAsync(LeaseStore store, Market market, LeaseLogFeed feed, string id, LogPosition position, Stream body, CancellationToken ct)
    {
        // Subscribed before the store is read: a line stored before this shows up in the read, one stored after is pushed.
        using var follower = feed.Follow(id);
        var readStore = true;
        while (true)
        {
            if (readStore)
            {
                // The lease's state before its lines: once it has ended, its lines are stored (the market stores the end
                // after them), so this read is the last one.
                var ended = LeaseLifecycle.IsEnded(Enum.Parse<LeaseState>((await store.LeaseAsync(id, ct))!.State));
                position = await WriteStoredAsync(store, id, position, body, ct);
                if (ended)
                    return;
            }

            var pushed = await follower.WaitAsync(market.ReceivesLinesOf(id) ? LocalPoll : ForeignPoll, ct);
            while (follower.TryRead(out var line))
            {
                // Pushed lines the store read already gave are skipped.
                if (!position.Precedes(line))
                    continue;
                await WriteLineAsync(body, line, ct);
                position = LogPosition.After(line);
            }

            await body.FlushAsync(ct);
            // Back to the store when nothing came (a poll), the lease ended, or this follower fell behind.
            readStore = !pushed | follower.Ended | follower.TakeBehind();
        }
    }

    /// <summary>Writes the stored lines after <paramref name="position"/>; returns the position after the last one.</summary>
    private static async Task<LogPosition> WriteStoredAsync(LeaseStore store, string id, LogPosition position, Stream body, CancellationToken ct)
    {
        while (true)
        {
            var lines = await store.LogsAsync(id, position, 1000, ct);
            foreach (var line in lines)
            {
                await WriteLineAsync(body, line, ct);
                position = LogPosition.After(line);
            }

            await body.FlushAsync(ct);
            if (lines.Count < 1000)
                return position;
        }
    }

    private static async Task WriteLineAsync(Stream body, LeaseLogRecord line, CancellationToken ct)
    {
        await JsonSerializer.SerializeAsync(body, new LogLineView(line.Sequence, line.Stream, line.Text, line.At, line.Attempt), OrderJson.Options, ct);
        await body.WriteAsync(NewLine, ct);
    }

    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    internal static bool Visible(LeaseRecord lease, ClaimsPrincipal user) => Owner(user) is not { } owner || lease.Owner == owner;

    internal static bool IsLeaseId(string id) => LeaseId.TryParse(id, out _);

    internal static ProblemHttpResult BadId(string id) =>
        Problems.Field("id", $"'{(id.Length <= 40 ? id : id[..37] + "...")}' is not a lease id (lease- followed by 12 hex digits)");

    private static async Task<OrderRequest?> RequestAsync(LeaseStore store, string orderId, CancellationToken ct) =>
        await store.OrderAsync(orderId, ct) is { } o ? StoredOrder.Read(o).ToRequest() : null;

    private static LeaseView View(LeaseRecord l, OrderRequest? request, LeaseHistory? history, long creditedBaseUnits = 0) => new(
        l.Id, l.OrderId, l.Owner, l.State, l.StateReason, l.EndReason, l.EndedAt, l.HostId,
        l.GpuIndices.Length == 0 ? [] : [.. l.GpuIndices.Split(',').Select(int.Parse)],
        l.GpuMilli, l.GpuModel.Length == 0 ? null : l.GpuModel, l.HostId is null ? null : l.PriceUsdPerGpuHour,
        request?.Runtime ?? "process", request?.Command ?? [], l.ExitCode, l.Attempt, l.CreatedAt, l.PlacedAt, l.StartedAt,
        history?.Steps.Select(e => new LeaseEventView(e.At, e.State, e.HostId, e.Reason)).ToList(), l.SlaTier, l.Endpoint,
        creditedBaseUnits > 0 ? TokenAmount.FromBaseUnits(creditedBaseUnits).ToString() : null, history is { Earlier: > 0 } h ? h.Earlier : null);
}

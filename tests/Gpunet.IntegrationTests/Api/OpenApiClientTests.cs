using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

/// <summary>The OpenAPI document through third-party tools: a TypeScript client generated from it (openapi-typescript,
/// openapi-fetch, tsc --strict) signs in, orders and submits KYC without a cast, Redocly's linter passes it, and
/// Spectral's OWASP ruleset finds every input bounded and every answer's budget stated.</summary>
public sealed class OpenApiClientTests
{
    [OpenApiClientFact]
    public async Task GeneratedClient_SignsInOrdersAndSubmitsKyc_WithNoCasts()
    {
        await using var c = await TestCoordinator.StartAsync();
        var dir = OpenApiClientFactAttribute.ClientDirectory;
        await WriteDocumentAsync(c);

        await SucceedAsync(dir, null, "node_modules/openapi-typescript/bin/cli.js", "openapi.json", "--output", "schema.ts");
        await SucceedAsync(dir, null, "check-no-casts.mjs", "client.ts");
        await SucceedAsync(dir, null, "node_modules/typescript/bin/tsc", "--project", "tsconfig.json", "--strict");
        var output = await SucceedAsync(dir, new Dictionary<string, string> { ["GPUNET_URL"] = c.ApiUrl, ["GPUNET_ADMIN_TOKEN"] = c.AdminToken },
            "dist/client.js");

        var printed = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("customer", printed.GetValueOrDefault("role"));
        Assert.Matches("^lease-[0-9a-f]{12}$", printed.GetValueOrDefault("lease") ?? "");
        Assert.Equal("Pending", printed.GetValueOrDefault("kycState"));
        Assert.Equal("id", printed.GetValueOrDefault("badField"));

        // What the client was told is what the coordinator holds.
        var address = printed["address"];
        var lease = await c.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/leases/{printed["lease"]}");
        Assert.Equal(address, lease.GetProperty("owner").GetString());
        using var submission = await c.Admin.GetAsync($"/api/v1/kyc/submissions/{printed["kyc"]}");
        Assert.Equal(HttpStatusCode.OK, submission.StatusCode);
        var kyc = await submission.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Pending", kyc.GetProperty("state").GetString());
        Assert.Equal(address, kyc.GetProperty("address").GetString());
        Assert.Equal("Ada Lovelace", kyc.GetProperty("legalName").GetString());
    }

    [OpenApiClientFact]
    public async Task RedoclyLint_OnTheDocument_ReportsNoErrorAndNoWarning()
    {
        await using var c = await TestCoordinator.StartAsync();
        await WriteDocumentAsync(c);

        // redocly.yaml at the root names the document; .redocly.lint-ignore.yaml beside it lists the accepted exceptions.
        var json = await SucceedAsync(OpenApiClientFactAttribute.RepositoryRoot, null,
            "tests/openapi-client/node_modules/@redocly/cli/bin/cli.js", "lint", "coordinator", "--format", "json");
        var totals = JsonDocument.Parse(json[json.IndexOf('{', StringComparison.Ordinal)..]).RootElement.GetProperty("totals");
        Assert.Equal(0, totals.GetProperty("errors").GetInt32());
        Assert.Equal(0, totals.GetProperty("warnings").GetInt32());
    }

    [OpenApiClientFact]
    public async Task SpectralOwasp_EveryInputIsBounded_EveryAnswerStatesTheBudget_OnlySignInIsOpen()
    {
        await using var c = await TestCoordinator.StartAsync();
        await WriteDocumentAsync(c);
        var dir = OpenApiClientFactAttribute.ClientDirectory;

        // Spectral exits 1 when it finds an error: the findings are read, not its exit code (what it may find is below).
        var (_, stdout, stderr) = await RunAsync(dir, null, "node_modules/@stoplight/spectral-cli/dist/index.js",
            "lint", "openapi.json", "--ruleset", ".spectral.yaml", "--format", "json");
        Assert.True(stdout.TrimStart().StartsWith('['), $"spectral did not lint:\n{stdout}\n{stderr}");
        var findings = JsonDocument.Parse(stdout).RootElement.EnumerateArray()
            .Select(f => (Code: f.GetProperty("code").GetString()!, Path: f.GetProperty("path").EnumerateArray().Select(p => p.ToString()).ToArray()))
            .ToList();
        var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "openapi.json"))).RootElement;
        var inputs = RequestSchemas(doc);

        // Spectral's own OpenAPI rules find nothing but the missing contact (the network operator publishes none): every
        // operation has its short title and its description.
        Assert.Empty(findings.Where(f => !f.Code.StartsWith("owasp:", StringComparison.Ordinal) && f.Code != "info-contact")
            .Select(f => $"{f.Code} at {string.Join('/', f.Path)}"));

        // Every answer states the caller's budget (429 with Retry-After), every operation its 429 and 500, the server its
        // audience; every integer has its bounds.
        string[] never =
        [
            "owasp:api4:2023-rate-limit", "owasp:api4:2023-rate-limit-retry-after", "owasp:api4:2023-rate-limit-responses-429",
            "owasp:api8:2023-define-error-responses-500", "owasp:api8:2023-define-cors-origin", "owasp:api9:2023-inventory-access",
            "owasp:api4:2023-integer-limit", "owasp:api3:2023-no-additionalProperties", "owasp:api2:2023-no-http-basic",
        ];
        Assert.Empty(findings.Where(f => never.Contains(f.Code)).Select(f => $"{f.Code} at {string.Join('/', f.Path)}"));

        // Nothing a client sends is unbounded: route, query and header values, request bodies and every shape they reach.
        // Nor any text an answer carries (the JSON writer holds answers to the stated lengths): only the lease's event
        // stream, which is a stream.
        var texts = findings.Where(f => f.Code == "owasp:api4:2023-string-limit").Select(f => string.Join('/', f.Path));
        Assert.Equal(["paths//api/v1/leases/{id}/events/get/responses/200/content/text/event-stream/schema"], texts);
        var unbounded = findings.Where(f => f.Code is "owasp:api4:2023-string-limit" or "owasp:api4:2023-array-limit"
            && (f.Path.Contains("parameters") || f.Path.Contains("requestBody") || (f.Path is ["components", "schemas", var id, ..] && inputs.Contains(id))));
        Assert.Empty(unbounded.Select(f => $"{f.Code} at {string.Join('/', f.Path)}"));

        // A body's fields are bounded by its operation's own body limit: the sanctions import takes a whole OFAC list.
        var sdn = doc.GetProperty("components").GetProperty("schemas").GetProperty("SanctionsRequest").GetProperty("properties").GetProperty("sdn");
        Assert.Equal(64 * 1024 * 1024, sdn.GetProperty("maxLength").GetInt32());
        var reason = doc.GetProperty("components").GetProperty("schemas").GetProperty("MaintenanceRequest").GetProperty("properties").GetProperty("reason");
        Assert.Equal(500, reason.GetProperty("maxLength").GetInt32());

        // Every list answers at most its limit's maximum (the limit's default stated; the host list in pages, the GPU search
        // its cheapest), the SLA tiers as many as a coordinator may offer.
        var lists = findings.Where(f => f.Code == "owasp:api4:2023-array-limit" && f.Path is ["paths", _, "get", "responses", ..])
            .Select(f => f.Path[1]);
        Assert.Empty(lists);
        // Nor any list inside an answer: each is bounded where it comes in, or lists its first (or latest) N and counts the rest.
        Assert.Empty(findings.Where(f => f.Code == "owasp:api4:2023-array-limit").Select(f => string.Join('/', f.Path)));
        var hostsPage = doc.GetProperty("paths").GetProperty("/api/v1/hosts").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.True(hostsPage.GetProperty("headers").TryGetProperty("Link", out _), "the host list's next-page Link is not described");

        // The only writes without a token are signing in (a challenge, its answer, a console link's code) and the KYC
        // vendor's webhook, which is signed with the vendor's shared secret instead.
        var open = findings.Where(f => f.Code == "owasp:api2:2023-write-restricted").Select(f => f.Path[1]).Order(StringComparer.Ordinal);
        Assert.Equal(["/api/v1/auth/challenge", "/api/v1/auth/console-links/redeem", "/api/v1/auth/token", "/api/v1/kyc/webhooks/{vendor}"], open);
    }

    [OpenApiClientFact]
    public async Task CastCheck_OnACast_Fails()
    {
        // The check that keeps client.ts honest finds each kind of cast.
        var file = Path.Combine(Directory.CreateTempSubdirectory("gpunet-casts-").FullName, "casts.ts");
        await File.WriteAllTextAsync(file, "const a: unknown = 1;\nconst b = a as number;\nconst c = <string>a;\nconst d = [1].at(0)!;\n");
        var (exit, _, stderr) = await RunAsync(OpenApiClientFactAttribute.ClientDirectory, null, "check-no-casts.mjs", file);
        Assert.Equal(1, exit);
        Assert.Contains("an `as` cast", stderr, StringComparison.Ordinal);
        Assert.Contains("a `<T>` cast", stderr, StringComparison.Ordinal);
        Assert.Contains("a `!` non-null assertion", stderr, StringComparison.Ordinal);
    }

    // The component schemas a request body reaches, through references.
    private static HashSet<string> RequestSchemas(JsonElement doc)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonElement>(doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("requestBody", out _))
            .Select(o => o.Value.GetProperty("requestBody")));
        while (pending.TryPop(out var node))
        {
            if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray())
                    pending.Push(item);
            }
            else if (node.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in node.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.GetString() is { } r && r.StartsWith("#/components/schemas/", StringComparison.Ordinal)
                        && ids.Add(r["#/components/schemas/".Length..]))
                    {
                        pending.Push(doc.GetProperty("components").GetProperty("schemas").GetProperty(r["#/components/schemas/".Length..]));
                    }
                    else
                    {
                        pending.Push(property.Value);
                    }
                }
            }
        }

        return ids;
    }

    // Where redocly.yaml expects it, and where the generator reads it (ignored by git).
    private static async Task WriteDocumentAsync(TestCoordinator c) =>
        await File.WriteAllTextAsync(Path.Combine(OpenApiClientFactAttribute.ClientDirectory, "openapi.json"),
            await c.Anonymous.GetStringAsync("/openapi/v1.json"));

    /// <summary>Runs a node script and returns its standard output; fails the test, with both outputs, unless it exits 0.</summary>
    private static async Task<string> SucceedAsync(string directory, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(directory, env, args);
        Assert.True(exit == 0, $"node {string.Join(' ', args)} exited {exit}\n{stdout}\n{stderr}");
        return stdout;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string directory, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            psi.Environment[k] = v;

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        // A guard against a hung tool, not a measurement: tsc on a slow machine takes seconds.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stdout = process.StandardOutput.ReadToEndAsync(guard.Token);
        var stderr = process.StandardError.ReadToEndAsync(guard.Token);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}

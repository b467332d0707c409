using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Gpunet.Coordinator.Edge;
using Gpunet.Coordinator.Sla;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Gpunet.Coordinator;

/// <summary>The coordinator's OpenAPI document as a generated client reads it: every error documented as problem
/// details, token amounts, addresses and ids with their patterns, enums as string enums, request fields required
/// only where the server requires them, and no server URL taken from the request.</summary>
/// <remarks>Endpoints state their own outcomes (<c>.ProducesProblem(404)</c>, <c>.Accepts&lt;T&gt;()</c>,
/// <see cref="OpenApiParameters.WithParameter"/>); the transformers here add what every endpoint shares (400 for bad input, 401 without
/// a token, 413 for an oversized body, 429 when rate-limited) and read the schema attributes of the records.</remarks>
internal static class OpenApiContract
{
    // The patterns live with the shapes (Gpunet.Contracts.ApiPatterns); these names are the ones the endpoints'
    // WithParameter calls use.
    /// <summary>See <see cref="ApiPatterns.Address"/>.</summary>
    public const string AddressPattern = ApiPatterns.Address;

    /// <summary>See <see cref="ApiPatterns.Country"/>.</summary>
    public const string CountryPattern = ApiPatterns.Country;

    /// <summary>See <see cref="ApiPatterns.HostId"/>.</summary>
    public const string HostIdPattern = ApiPatterns.HostId;

    /// <summary>See <see cref="ApiPatterns.LeaseId"/>.</summary>
    public const string LeaseIdPattern = ApiPatterns.LeaseId;

    /// <summary>The media type of every error body (RFC 9457 problem details).</summary>
    public const string ProblemJson = "application/problem+json";

    private const string ProblemSchemaId = "ProblemDetails";

    // OrderRequest's rules live in OrderRequest.ToSpec and OrderValidator; they are described here, by JSON field, so that
    // the record stays as the market reads it.
    private static readonly Dictionary<string, Action<OpenApiSchema>> OrderFields = new(StringComparer.Ordinal)
    {
        ["count"] = s => Bounds(s, 1, OrderValidator.MaxGpusPerHost),
        ["gpuMilli"] = s => Bounds(s, 1, 1000),
        ["minVramGb"] = s => Bounds(s, 1, OrderValidator.MaxVramGb),
        ["minComputeCapability"] = s => Bounds(s, 1, OrderValidator.MaxComputeCapability),
        ["cpu"] = s => Bounds(s, 0, null),
        ["memoryMib"] = s => Bounds(s, 0, int.MaxValue),
        ["hosts"] = s => Bounds(s, 1, OrderValidator.MaxHosts),
        ["countries"] = s => Items(s, CountryPattern),
        ["notCountries"] = s => Items(s, CountryPattern),
        ["regions"] = s => Items(s, maxItems: 64, maxLength: 64),
        ["notRegions"] = s => Items(s, maxItems: 64, maxLength: 64),
        ["command"] = s => Items(s, maxItems: OrderValidator.MaxCommandArguments, maxLength: OrderValidator.MaxCommandCharacters), // 16 KiB in all
        ["environment"] = s =>
        {
            s.MaxProperties = 64;
            if (s.AdditionalProperties is OpenApiSchema value)
                value.MaxLength = 4096;
        },
        ["host"] = s => s.Pattern = HostIdPattern,
        ["maxLatencyMs"] = s => Bounds(s, 1, OrderValidator.MaxLatencyMs),
        ["maxPrice"] = s => Bounds(s, null, OrderValidator.MaxPriceUsdPerGpuHour, exclusiveMinimum: 0),
        ["type"] = s => Values(s, "on-demand", "reserve"),
        ["hours"] = s => Bounds(s, null, (decimal)OrderValidator.MaxDuration.TotalHours, exclusiveMinimum: 0),
        ["restart"] = s => Values(s, "never", "on-host-loss"),
        ["kind"] = s => Values(s, "job", "service", "session"),
        ["runtime"] = s => Values(s, "process", "docker"),
        ["port"] = s => Bounds(s, 1, 65_535),
        ["ranking"] = s => Values(s, "balanced", "lowest-fee", "best-experience"),
        ["queueTimeoutMinutes"] = s => Bounds(s, 0, (decimal)OrderValidator.MaxQueueTimeout.TotalMinutes),
    };

    // Tag descriptions: the reference page groups operations by tag.
    private static readonly Dictionary<string, string> Tags = new(StringComparer.Ordinal)
    {
        ["Operations"] = "Liveness of the coordinator and its store.",
        ["Auth"] = "Wallet sign-in: a challenge, an EIP-191 personal_sign signature of its message, a bearer token.",
        ["Network"] = "What the network is and where agents connect.",
        ["Hosts"] = "The host (container) registry, its GPUs and lifecycle.",
        ["GPUs"] = "Search of free GPUs with the query language, and why a search found what it found.",
        ["Marketplace"] = "Orders, the leases they become, and their workloads' output.",
        ["Wallet"] = "Balances, deposits and withdrawals, stake, the ledger's audit and settled epochs.",
        ["Compliance"] = "KYC/KYB, the vendor webhook, the geofence and export-control policy, sanctions lists, host location checks and the audit log.",
        ["Verification"] = "Checker nodes: the licences the network operator grants and revokes.",
        ["Console"] = "What the web console reads beyond the rest of the API: the network at a glance, once or as a live stream of server-sent events.",
        ["SLA"] = "Service contracts: the tiers offered (what each promises and credits, what a host needs to serve it), maintenance windows, and monthly reports of availability, downtime windows and credits.",
    };

    /// <summary>Registers the document, operation and schema transformers.</summary>
    public static OpenApiOptions AddGpunetContract(this OpenApiOptions api, string version)
    {
        api.AddDocumentTransformer((doc, context, _) =>
        {
            Describe(doc, version, context.ApplicationServices.GetRequiredService<IOptions<EdgeOptions>>().Value.PublicUrl);
            return Task.CompletedTask;
        });
        api.AddOperationTransformer(DescribeOperationAsync);
        api.AddDocumentTransformer((doc, context, _) =>
        {
            OpenApiLimits.Apply(doc, OpenApiLimits.Of(context));
            return Task.CompletedTask;
        });
        api.AddSchemaTransformer((schema, context, _) =>
        {
            DescribeSchema(schema, context);
            return Task.CompletedTask;
        });
        return api;
    }

    private static void Describe(OpenApiDocument doc, string version, string? publicUrl)
    {
        doc.Info = new OpenApiInfo
        {
            Title = "Gpunet coordinator API",
            Version = version,
            Description = "Hosts, their GPUs and lifecycle, GPU search, orders and leases, wallets and compliance. Authenticate with a " +
                "bearer token: a wallet's token from POST /api/v1/auth/token, or the operator's admin token (gpa_…). Every error is " +
                "an application/problem+json body; a 400 names the offending request field in `field`.",
        };

        // A client must not learn a server URL from the request's Host header (an attacker chooses it): the document names
        // the configured public URL, or the relative "/" (the address the client fetched the document from).
        // The API is the public one (x-internal: false, as OWASP's API9 inventory rule asks a document to say).
        doc.Servers =
        [
            new OpenApiServer
            {
                Url = publicUrl?.TrimEnd('/') is { Length: > 0 } url ? url : "/",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
            },
        ];
        doc.Components ??= new OpenApiComponents();
        doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        doc.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Wallet token (POST /api/v1/auth/token) or admin token (gpa_…)",
        };
        doc.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", doc)] = [] }];
        foreach (var tag in doc.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && Tags.TryGetValue(name, out var description))
                tag.Description = description;
        }

        // KYC documents and audit inputs are JSON objects. The exporter's empty schema for JsonElement also matches null, so a
        // nullable document's `oneOf [null, JsonElement]` matched null twice and a list of submissions broke its own schema.
        if (doc.Components.Schemas?.ContainsKey(nameof(JsonElement)) == true)
            doc.Components.Schemas[nameof(JsonElement)] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "A JSON object." };

        // The shapes' descriptions come from Gpunet.Contracts' XML file, where the compiler indents a summary's later lines
        // by 12 spaces; they keep the 4 they had when the shapes were documented in this assembly.
        foreach (var schema in doc.Components.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            schema.Description = Reindent(schema.Description);
            foreach (var property in schema.Properties?.Values.OfType<OpenApiSchema>() ?? [])
                property.Description = Reindent(property.Description);
        }
    }

    private static string? Reindent(string? description) => description?.Replace("\n            ", "\n    ", StringComparison.Ordinal);

    private static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        // Anonymous endpoints (health, sign-in, network summary) say so instead of inheriting the bearer requirement.
        if (anonymous)
            operation.Security = [];

        OpenApiParameters.Describe(operation, metadata);

        var hasBody = operation.RequestBody is not null;
        var hasInput = hasBody || operation.Parameters is { Count: > 0 };
        operation.Responses ??= [];
        var problem = await ProblemSchemaAsync(context, ct);
        if (hasInput)
            AddProblem(operation, problem, StatusCodes.Status400BadRequest, "Bad input: the problem's `field` names the request field at fault");
        if (!anonymous)
            AddProblem(operation, problem, StatusCodes.Status401Unauthorized, "No bearer token, or an expired or unknown one");
        if (hasBody)
            AddProblem(operation, problem, StatusCodes.Status413PayloadTooLarge, "The request body is larger than the coordinator accepts");
        // Every caller but the operator's admin token has a request budget (the sign-in endpoints a stricter one too),
        // counted before the endpoint looks at the request: any operation can answer 429, and an unexpected failure 500.
        AddProblem(operation, problem, StatusCodes.Status429TooManyRequests, metadata.OfType<EnableRateLimitingAttribute>().Any()
            ? "Too many requests from this client, or too many sign-in requests from its address; wait as Retry-After says"
            : "Too many requests from this client; wait as Retry-After says");
        AddProblem(operation, problem, StatusCodes.Status500InternalServerError, "An unexpected failure of the coordinator (logged there)");

        // Every problem response (declared here or by the endpoint) shares one schema, under one media type.
        foreach (var (status, response) in operation.Responses)
        {
            if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse r)
            {
                r.Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = problem } };
                if (string.IsNullOrEmpty(r.Description))
                    r.Description = ReasonPhrase(status);
            }
        }

        OpenApiHeaders.Describe(operation, context.Document!);
    }

    private static void AddProblem(OpenApiOperation operation, IOpenApiSchema problem, int status, string description)
    {
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
            return;
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = problem } },
        };
    }

    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var doc = context.Document!;
        if (doc.Components?.Schemas?.ContainsKey(ProblemSchemaId) != true)
            doc.AddComponent(ProblemSchemaId, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct));
        return new OpenApiSchemaReference(ProblemSchemaId, doc);
    }

    private static string ReasonPhrase(string status) =>
        int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code)
            : status;

    private static void DescribeSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(TokenAmount) || type == typeof(TokenAmount?))
        {
            // TokenAmount's converter writes the token string ("1.5"); the schema exporter cannot see through a converter.
            schema.Type = JsonSchemaType.String;
            schema.Pattern = ApiPatterns.TokenAmount;
            schema.Description = "An amount of tokens as a decimal string, at most 8 decimals (1 base unit is 0.00000001), e.g. \"1.5\".";
        }
        else if (type == typeof(LedgerAuditResult) && schema.Properties?.TryGetValue("problems", out var problems) == true
            && problems is OpenApiSchema { Items: OpenApiSchema problem })
        {
            // Each names an account and its figures (LedgerAudit): a few hundred characters at most.
            problem.MaxLength ??= TextLimits.Reason;
            ((OpenApiSchema)problems).MaxItems = LedgerAudit.MostListed;
        }
        else if (type == typeof(ProblemDetails))
        {
            ProblemSchema.Describe(schema);
        }
        else if (type == typeof(AccessTokenResponse))
        {
            // The tokens carry a few short claims (an address, a role, the network), protected: well under this, which is
            // a quarter of the header block a request may carry them back in.
            foreach (var token in new[] { "accessToken", "refreshToken" })
            {
                if (schema.Properties?.TryGetValue(token, out var tokenSchema) == true && tokenSchema is OpenApiSchema ts)
                    ts.MaxLength ??= TextLimits.Token;
            }

            // BearerTokenHandler always writes "Bearer"; the class declares the property without `required`.
            schema.Required?.Add("tokenType");
            if (schema.Properties?.TryGetValue("tokenType", out var tokenType) == true && tokenType is OpenApiSchema tokenTypeSchema)
            {
                tokenTypeSchema.Type = JsonSchemaType.String;
                tokenTypeSchema.Enum = [JsonValue.Create("Bearer")];
            }
        }

        // The web defaults read numbers from strings too, but the server always writes numbers: a client sends numbers.
        if (schema.Type is { } t && (t & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (t & JsonSchemaType.String) != 0)
        {
            schema.Type = t & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (context.JsonPropertyInfo is { } property)
        {
            DescribeProperty(schema, property);
            if (property.DeclaringType == typeof(OrderRequest) && OrderFields.TryGetValue(property.Name, out var describe))
                describe(schema);
            // The tiers are configuration: the document lists the ones this coordinator offers.
            if (property.DeclaringType == typeof(OrderRequest) && property.Name == "slaTier")
                Values(schema, [.. context.ApplicationServices.GetRequiredService<SlaTiers>().All.Keys]);
        }
        else if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
            DescribeRequired(schema, context.JsonTypeInfo);
    }

    private static void DescribeProperty(OpenApiSchema schema, JsonPropertyInfo property)
    {
        var attributes = property.AttributeProvider?.GetCustomAttributes(inherit: true) ?? [];
        var required = attributes.OfType<RequiredAttribute>().Any();
        if (required && schema.Type is { } t)
            schema.Type = t & ~JsonSchemaType.Null;

        var values = attributes.OfType<EnumNamesAttribute>().Select(a => Enum.GetNames(a.EnumType)).FirstOrDefault()
            ?? attributes.OfType<AllowedValuesAttribute>().Select(a => a.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))).FirstOrDefault()?.ToArray();
        if (values is not null)
        {
            schema.Enum = [.. values.Select(v => v is null ? null! : (JsonNode)JsonValue.Create(v))];
            // A nullable property's null must be one of its values too.
            if ((schema.Type & JsonSchemaType.Null) != 0 && !values.Contains(null))
                schema.Enum.Add(null!);
        }

        foreach (var range in attributes.OfType<RangeAttribute>())
        {
            schema.Minimum ??= Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
            schema.Maximum ??= Convert.ToString(range.Maximum, CultureInfo.InvariantCulture);
        }

        foreach (var regex in attributes.OfType<RegularExpressionAttribute>())
            schema.Pattern ??= regex.Pattern;

        foreach (var items in attributes.OfType<ItemMaxLengthAttribute>())
        {
            if (schema.Items is OpenApiSchema item)
                item.MaxLength ??= items.Length;
        }
    }

    // A record that marks its fields [Required] states the whole list: a field without the mark may be left out, even
    // where the constructor parameter has no default (the server answers 400 naming a missing required field).
    private static void DescribeRequired(OpenApiSchema schema, JsonTypeInfo type)
    {
        var required = type.Properties
            .Where(p => p.AttributeProvider?.GetCustomAttributes(typeof(RequiredAttribute), inherit: true).Length > 0)
            .Select(p => p.Name)
            .ToList();
        if (required.Count > 0)
            schema.Required = new HashSet<string>(required, StringComparer.Ordinal);
    }

    private static void Bounds(OpenApiSchema schema, decimal? minimum, decimal? maximum, decimal? exclusiveMinimum = null)
    {
        schema.Minimum = minimum?.ToString(CultureInfo.InvariantCulture);
        schema.Maximum = maximum?.ToString(CultureInfo.InvariantCulture);
        schema.ExclusiveMinimum = exclusiveMinimum?.ToString(CultureInfo.InvariantCulture);
    }

    private static void Items(OpenApiSchema schema, string pattern)
    {
        if (schema.Items is OpenApiSchema items)
            items.Pattern = pattern;
    }

    private static void Items(OpenApiSchema schema, int? maxItems, int maxLength)
    {
        schema.MaxItems = maxItems;
        if (schema.Items is OpenApiSchema items)
            items.MaxLength = maxLength;
    }

    private static void Values(OpenApiSchema schema, params string[] values) =>
        schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
}

using Gpunet.Coordinator.Auth;
using Microsoft.OpenApi;

namespace Gpunet.Coordinator;

/// <summary>The response header fields every operation shares, in the OpenAPI document: the caller's request budget
/// (<see cref="RateLimitHeaders"/>), <c>Retry-After</c> on a 429, and the CORS answer to a configured web origin.</summary>
internal static class OpenApiHeaders
{
    private const string AllowOrigin = "Access-Control-Allow-Origin";

    /// <summary>Adds the shared fields to every 2XX and 4XX answer of <paramref name="operation"/> (the budget applies to
    /// any caller but the operator, before the endpoint looks at the request), and <c>Retry-After</c> to its 429.</summary>
    public static void Describe(OpenApiOperation operation, OpenApiDocument doc)
    {
        doc.Components ??= new OpenApiComponents();
        doc.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        if (!doc.Components.Headers.ContainsKey(RateLimitHeaders.PolicyField))
        {
            doc.Components.Headers[RateLimitHeaders.PolicyField] = Header(
                "The caller's request budgets (IETF RateLimit-Policy): `\"participant\";q=1200;w=60` allows q requests per w seconds; " +
                "the sign-in endpoints list their stricter `\"sign-in\"` budget per client address too. Absent for the operator's admin token.",
                @"^""(participant|sign-in)"";q=\d{1,9};w=60(, ""(participant|sign-in)"";q=\d{1,9};w=60)?$", 128);
            doc.Components.Headers[RateLimitHeaders.Field] = Header(
                "What is left of the caller's budget (IETF RateLimit): r requests now, and t seconds until the budget is whole again; " +
                "on a 429 the budget refused, r=0 of the budget that refused it and t as Retry-After (a 429 for another reason, such as " +
                "the faucet's daily limit or too many open log streams, leaves the budget as it is). Absent for the operator's admin token.",
                @"^""(participant|sign-in)"";r=\d{1,9};t=\d{1,9}$", 64);
            doc.Components.Headers["Retry-After"] = Header(
                "On a 429 the request budget refused: seconds to wait before the next request can go through.", @"^\d{1,9}$", 9);
            doc.Components.Headers[AllowOrigin] = Header(
                "Sent only to a browser's request from one of the coordinator's configured web origins (Coordinator:Edge:CorsOrigins; " +
                "none by default): that origin. Without it a browser keeps other sites' pages from reading the answer.",
                @"^https?://[^/\s]+$", 2048);
        }

        foreach (var (status, response) in operation.Responses!)
        {
            if (status[0] is not ('2' or '4') || response is not OpenApiResponse r)
                continue;
            r.Headers ??= new Dictionary<string, IOpenApiHeader>();
            r.Headers[RateLimitHeaders.PolicyField] = new OpenApiHeaderReference(RateLimitHeaders.PolicyField, doc);
            r.Headers[RateLimitHeaders.Field] = new OpenApiHeaderReference(RateLimitHeaders.Field, doc);
            r.Headers[AllowOrigin] = new OpenApiHeaderReference(AllowOrigin, doc);
            if (status == "429")
                r.Headers["Retry-After"] = new OpenApiHeaderReference("Retry-After", doc);
        }
    }

    /// <summary>Declares the <c>Link</c> header of a list answered in pages: the next page's address, when one follows.</summary>
    public static RouteHandlerBuilder WithNextPageLink(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse r)
            {
                r.Headers ??= new Dictionary<string, IOpenApiHeader>();
                // An address within the request line's 8 KiB (Kestrel's limit), as it came.
                r.Headers["Link"] = Header(
                    "When more items follow this page: `</api/v1/…?…&after=ID>; rel=\"next\"`, the next page's address (RFC 8288), relative " +
                    "to this one's; absent on the last page.", @"^<\/[^>\s]*>; rel=""next""$", 8 * 1024);
            }

            return Task.CompletedTask;
        });

    private static OpenApiHeader Header(string description, string pattern, int maxLength) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = pattern, MaxLength = maxLength },
    };
}

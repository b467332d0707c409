using System.ComponentModel.DataAnnotations;

namespace Gpunet.Coordinator.Edge;

/// <summary>What the coordinator accepts at its edge: request sizes, HTTP/2 streams, trusted proxies, its public address. Bound from the <c>Coordinator</c> section, keys as named here.</summary>
public sealed class EdgeOptions : IValidatableObject
{
    /// <summary>The URL clients reach the REST API at (behind a proxy: its public address, e.g. <c>https://api.example.net</c>),
    /// named as the server in the OpenAPI document. Default: none; the document names the relative <c>/</c>, so a client
    /// uses the address it fetched the document from (never the request's Host header, which the client chooses).</summary>
    [Url]
    public string? PublicUrl { get; set; }

    /// <summary>The URL agents reach this coordinator's gRPC port at, named to them by <c>GET /api/v1/network</c>: behind
    /// NAT, a container's port mapping or a TCP balancer, the address it is bound to (<c>--agent-urls</c>) is not one a
    /// remote agent can reach. Default: the bound agent URL.</summary>
    [Url]
    public string? PublicAgentUrl { get; set; }

    /// <summary>Largest REST request body accepted, bytes. Default 64 KiB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Concurrent HTTP/2 streams per connection; agents multiplex many streams over few connections. Default 50,000.</summary>
    [Range(100, 1_000_000)]
    public int MaxStreamsPerConnection { get; set; } = 50_000;

    /// <summary>Reverse proxies (TLS terminators) whose <c>X-Forwarded-For</c> is believed, as addresses
    /// (<c>10.0.0.5</c>) or CIDR networks (<c>10.0.0.0/8</c>), so per-client limits and an agent's location see the
    /// real client. Default none: the connection's address is the client, whatever the header says.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Web origins whose pages may call the REST API from a browser (CORS), each as <c>https://app.example.com</c>
    /// (scheme, host and port only). Their requests carry a bearer token, never a cookie, and may read the request-budget
    /// header fields. Default none: no <c>Access-Control-Allow-Origin</c> is ever sent, and browsers keep other sites'
    /// pages from reading any answer.</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in CorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo)
                || uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || origin.EndsWith("/?", StringComparison.Ordinal) || origin.EndsWith('#'))
            {
                yield return new ValidationResult(
                    $"CorsOrigins: '{origin}' is not a web origin: give the scheme, host and port only, e.g. https://app.example.com",
                    [nameof(CorsOrigins)]);
            }
            else if (!string.Equals(uri.GetLeftPart(UriPartial.Authority), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                // https://app.example.com:443: a browser names the origin without its scheme's default port, so it would never match.
                yield return new ValidationResult(
                    $"CorsOrigins: '{origin}': leave out the default port, as browsers do ({uri.GetLeftPart(UriPartial.Authority)})",
                    [nameof(CorsOrigins)]);
            }
        }
    }
}

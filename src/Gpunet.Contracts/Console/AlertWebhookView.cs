using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Console;

// Where to send your alerts.
public sealed record AlertWebhookRequest(
    [property: Description("An https URL on the public internet; each alert is POSTed to it once, as JSON, signed"), Required, StringLength(2048, MinimumLength = 1)] string? Url);

// Where your alerts are sent.
public sealed record AlertWebhookView(
    [property: MaxLength(TextLimits.Url)] string Url,
    [property: Description("The HMAC-SHA256 key of the Gpunet-Signature header (t=UNIX,v1=hex of HMAC(key, \"t.body\")); only in the answer that set it"), MaxLength(TextLimits.Label)] string? Secret,
    DateTimeOffset SetAt);

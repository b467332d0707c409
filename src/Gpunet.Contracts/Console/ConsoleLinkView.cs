using System.ComponentModel.DataAnnotations;
using System.ComponentModel;

namespace Gpunet.Contracts.Console;

// A one-time link that signs a browser into the console as the caller (gpunet login --web).
public sealed record ConsoleLinkView(
    [property: Description("Open this in a browser: the console at the coordinator's root, the one-time code in the URL's fragment (never sent to a server in a request line)"), MaxLength(TextLimits.Url)] string Url,
    [property: Description("The one-time code alone, for POST /api/v1/auth/console-links/redeem"), MaxLength(TextLimits.Label)] string Code,
    [property: Description("After this the link signs nobody in")] DateTimeOffset ExpiresAt);

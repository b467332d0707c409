namespace Gpunet.Core.Compliance;

/// <summary>What <see cref="WebhookSignature.Verify"/> concluded about a webhook's signature header.</summary>
public enum WebhookVerdict
{
    /// <summary>Signed with the secret over this body, within the time tolerance.</summary>
    Valid,

    /// <summary>No signature header.</summary>
    Missing,

    /// <summary>The header is not <c>t=&lt;unix seconds&gt;,v1=&lt;64 hex digits&gt;[,v1=...]</c>.</summary>
    Malformed,

    /// <summary>No <c>v1</c> signature matches: a wrong secret, or the body or timestamp was changed.</summary>
    BadSignature,

    /// <summary>Correctly signed, but the timestamp is further from now than the tolerance, in either direction.</summary>
    Stale,
}

namespace Gpunet.Contracts;

/// <summary>The longest text an answer's free-text fields carry: the shapes state them as <c>[MaxLength]</c> (and
/// <see cref="ItemMaxLengthAttribute"/> for a list's items), the OpenAPI document as <c>maxLength</c>, and the
/// coordinator's JSON writer holds every answer to them.</summary>
/// <remarks>Each bound is at least what the coordinator accepts for the text where it comes from outside (a request's
/// reason, an agent's hostname, a checker's reason), so that only text the coordinator composes itself could reach it;
/// such text is then cut, ending in "…", never sent longer than the document says.</remarks>
public static class TextLimits
{
    /// <summary>A one-word value: a kind, a state, an outcome, a code, a tier, a stream's name, a source.</summary>
    public const int Label = 64;

    /// <summary>A GPU model's or family's name, as the catalog writes it.</summary>
    public const int Model = 64;

    /// <summary>A version a list, a policy or a driver carries.</summary>
    public const int Version = 64;

    /// <summary>Why: a state's reason, a check's consequence, a problem's detail, an alert's message; it may quote a
    /// reason a person or a checker gave (at most 1,000 characters where they are accepted).</summary>
    public const int Reason = 2_000;

    /// <summary>A name a person or a machine gave: a legal name, a subject, who decided.</summary>
    public const int Name = 256;

    /// <summary>A host's name (a DNS name is at most 253 characters).</summary>
    public const int Hostname = 253;

    /// <summary>A host's region, as its agent declares it.</summary>
    public const int Region = 64;

    /// <summary>A host's CUDA version, as its agent reports it.</summary>
    public const int CudaVersion = 32;

    /// <summary>A host's CPU model, as its agent reports it.</summary>
    public const int CpuModel = 256;

    /// <summary>A GPU's name as <c>nvidia-smi</c> printed it.</summary>
    public const int SmiName = 128;

    /// <summary>A URL (the longest most browsers and proxies take).</summary>
    public const int Url = 2_048;

    /// <summary>A check's task as JSON (at most 16 GPUs, each its index and model).</summary>
    public const int Task = 8_192;

    /// <summary>A search query or one of its clauses: no longer than a request line (Kestrel's default 8 KiB).</summary>
    public const int Query = 8_192;

    /// <summary>A workload's log line: the coordinator keeps at most this much of one.</summary>
    public const int LogLine = 16_384;

    /// <summary>One argument of a workload's command: an order's arguments are at most 16 KiB together.</summary>
    public const int CommandArgument = 16_384;

    /// <summary>A document an operator wrote (the compliance policy's YAML): far above the default 64 KiB body limit.</summary>
    public const int Document = 1_048_576;

    /// <summary>The exact text a checker's report signature covers: a fixed header and at most 16 GPUs' figures.</summary>
    public const int SignedStatement = 8_192;

    /// <summary>A bearer token: a few short claims, protected (a quarter of Kestrel's 32 KiB header block).</summary>
    public const int Token = 8_192;
}

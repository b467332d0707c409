namespace Gpunet.Checker.Probing;

/// <summary>A probe whose answer fails the check: the message is the reason the report gives.</summary>
public sealed class ProbeFailedException : Exception
{
    public ProbeFailedException()
    {
    }

    public ProbeFailedException(string reason)
        : base(reason)
    {
    }

    public ProbeFailedException(string reason, Exception inner)
        : base(reason, inner)
    {
    }
}

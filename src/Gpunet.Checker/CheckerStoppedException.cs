namespace Gpunet.Checker;

/// <summary>The checker cannot go on: the coordinator refused it for good, or named an endpoint that cannot work.</summary>
public sealed class CheckerStoppedException : Exception
{
    public CheckerStoppedException()
    {
    }

    public CheckerStoppedException(string message)
        : base(message)
    {
    }

    public CheckerStoppedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

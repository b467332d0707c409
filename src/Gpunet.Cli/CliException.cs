namespace Gpunet.Cli;

/// <summary>An error meant for the person at the terminal: its message is the whole story.</summary>
public sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message) : base(message)
    {
    }

    public CliException(string message, Exception inner) : base(message, inner)
    {
    }
}

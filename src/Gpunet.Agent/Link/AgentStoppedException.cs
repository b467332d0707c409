namespace Gpunet.Agent.Link;

/// <summary>The agent cannot go on and should not retry: refused credentials, invalid hardware, or superseded.</summary>
public sealed class AgentStoppedException : Exception
{
    public AgentStoppedException()
    {
    }

    public AgentStoppedException(string message) : base(message)
    {
    }

    public AgentStoppedException(string message, Exception inner) : base(message, inner)
    {
    }
}

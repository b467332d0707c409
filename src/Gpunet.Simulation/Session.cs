namespace Gpunet.Simulation;

/// <summary>One agent stream to one coordinator process: ordered both ways, like the gRPC stream it stands for; what is in
/// flight when it breaks is lost (or, sometimes, arrives late, after newer streams' messages).</summary>
internal sealed class Session(SimAgent agent, int generation)
{
    public SimAgent Agent { get; } = agent;

    /// <summary>The coordinator process it is connected to.</summary>
    public int Generation { get; } = generation;

    public bool Broken { get; set; }

    /// <summary>Towards the coordinator: each message with when it can arrive, and whether it survives a break (late).</summary>
    public Queue<(long ReadyAt, AgentMessage Message, bool Late)> Up { get; } = new();

    /// <summary>Towards the agent.</summary>
    public Queue<(long ReadyAt, CoordinatorMessage Message)> Down { get; } = new();

    public bool UpPumping { get; set; }

    public bool DownPumping { get; set; }
}

namespace Gpunet.Cli.Doctor;

/// <summary>The coordinator the host is about to join: it answers, and the agents' gRPC port it names can be reached
/// from here (a coordinator behind a proxy that names its own private address fails here, not at the agent's start).</summary>
internal static class CoordinatorCheck
{
    public const string Name = "coordinator";

    public static DoctorCheck Evaluate(Uri coordinator, CoordinatorAnswer answer)
    {
        if (answer.Network is not { } network)
        {
            return DoctorCheck.Fail(Name, $"{coordinator} did not answer: {answer.Error}",
                "check the URL, and that this host can reach it (firewall, proxy, DNS)");
        }

        if (answer.AgentPortError is { } error)
        {
            return DoctorCheck.Fail(Name, $"{coordinator} answers (network {network.Network}), but the agents' port it names, {network.AgentUrl}, cannot be reached: {error}",
                "open the coordinator's agent port to this host; a coordinator behind a proxy must listen for agents on an address this host can reach");
        }

        return DoctorCheck.Ok(Name, $"{coordinator}: network {network.Network}, version {network.Version}; agents connect to {network.AgentUrl}");
    }
}

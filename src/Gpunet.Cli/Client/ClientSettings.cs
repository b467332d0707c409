using System.ComponentModel;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Client;

/// <summary>Options every command that talks to a coordinator takes.</summary>
internal class ClientSettings : CommandSettings
{
    [CommandOption("--coordinator <URL>")]
    [Description("Coordinator URL; default $GPUNET_COORDINATOR, then the current profile")]
    public string? Coordinator { get; init; }

    [CommandOption("--profile <NAME>")]
    [Description("Profile in the gpunet home directory; default the current one (gpunet devnet saves 'devnet')")]
    public string? Profile { get; init; }

    [CommandOption("--key <FILE>")]
    [Description("Wallet key to sign in with; default $GPUNET_KEY, then the profile's customer key")]
    public string? Key { get; init; }

    [CommandOption("--json")]
    [Description("Print JSON for scripts")]
    public bool Json { get; init; }
}

using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary>Options of <c>gpunet hosts</c>.</summary>
internal class HostsSettings : ClientSettings
{
    [CommandOption("--state <STATE>")]
    [Description("Only hosts in this state: Pending, Ready, Suspect, Offline")]
    public string? State { get; init; }

    [CommandOption("--country <CC>")]
    [Description("Only hosts in this country (ISO 3166-1 alpha-2)")]
    public string? Country { get; init; }
}

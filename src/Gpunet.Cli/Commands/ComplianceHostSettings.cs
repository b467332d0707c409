using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary>Options of a compliance command about one host.</summary>
internal class ComplianceHostSettings : ClientSettings
{
    [CommandArgument(0, "<HOST>")]
    [Description("Host id (host-…)")]
    public string Host { get; init; } = "";
}

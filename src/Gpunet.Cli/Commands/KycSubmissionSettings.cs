using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary>Options of a command about one KYC/KYB submission.</summary>
internal class KycSubmissionSettings : ClientSettings
{
    [CommandArgument(0, "<ID>")]
    [Description("Submission id, as kyc list shows it")]
    public string Id { get; init; } = "";
}

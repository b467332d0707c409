using System.ComponentModel;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary>A compliance officer's decision on a pending submission (<c>approve</c>, <c>reject</c>).</summary>
internal abstract class KycDecisionCommand<TSettings> : AsyncCommand<TSettings>
    where TSettings : KycDecisionSettings
{
    /// <summary>The API path under <c>/api/v1/kyc/submissions/{id}/</c>.</summary>
    protected abstract string Decision { get; }

    protected virtual bool Final(TSettings s) => false;

    public override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        using var client = CoordinatorClient.From(settings);
        var s = await client.PostAsync<KycSubmissionView>($"/api/v1/kyc/submissions/{Uri.EscapeDataString(settings.Id)}/{Decision}",
            new DecisionRequest(settings.Reason, Final(settings)), cancellationToken);
        if (settings.Json)
            Render.Json(s);
        else
            ComplianceRender.Submission(s);
        return 0;
    }
}

/// <summary>Options of approve and reject.</summary>
internal class KycDecisionSettings : KycSubmissionSettings
{
    [CommandOption("--reason <TEXT>")]
    [Description("Why, in words the participant can read (at most 500 characters)")]
    public string? Reason { get; init; }
}

/// <summary>Options of reject: a reason is required; <c>--final</c> refuses any new submission.</summary>
internal sealed class KycRejectSettings : KycDecisionSettings
{
    [CommandOption("--final")]
    [Description("Final: the participant may not submit again. Default open to a corrected submission")]
    public bool Final { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrWhiteSpace(Reason) ? ValidationResult.Error("--reason: a rejection needs a reason the participant can read") : ValidationResult.Success();
}

/// <summary><c>gpunet kyc approve ID [--reason TEXT]</c>.</summary>
internal sealed class KycApproveCommand : KycDecisionCommand<KycDecisionSettings>
{
    protected override string Decision => "approve";
}

/// <summary><c>gpunet kyc reject ID --reason TEXT [--final]</c>.</summary>
internal sealed class KycRejectCommand : KycDecisionCommand<KycRejectSettings>
{
    protected override string Decision => "reject";

    protected override bool Final(KycRejectSettings s) => s.Final;
}

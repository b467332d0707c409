using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Sla;

/// <summary>Refuses the coordinator's start on any bad tier setting, each problem naming its key
/// (<c>SlaTiers:gold:AvailabilityPercent: above 0 and below 100</c>).</summary>
internal sealed class SlaTiersValidation : IValidateOptions<SlaOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = SlaTiers.Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Console;

// A one-time console link's code, traded for a bearer token once.
public sealed record ConsoleLinkRedeemRequest(
    [property: Description("The code from the link's fragment"), Required, StringLength(64, MinimumLength = 43)] string? Code);

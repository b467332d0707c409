using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Auth;

// Who the presented token belongs to: a wallet (customer) or the operator (admin).
public sealed record WhoAmI(
    [property: AllowedValues(ApiRoles.Customer, ApiRoles.Admin)] string Role,
    [property: Description("The wallet signed in; null for the admin token"), RegularExpression(ApiPatterns.Address)] string? Address);

namespace Gpunet.Core.Verification;

/// <summary>Who asks a host's probe endpoint, as the checker signed it (ProbeAuth in checker.proto).</summary>
/// <param name="CheckId">The check the request is for.</param>
/// <param name="Checker">The checker's 0x address, as sent.</param>
/// <param name="Nonce">The checker's nonce for this request.</param>
/// <param name="TimestampUnixSeconds">When the checker signed, UTC seconds.</param>
/// <param name="Signature">0x r‖s‖v over <see cref="ProbeStatement"/>'s canonical text.</param>
public sealed record ProbeCredentials(string CheckId, string Checker, string Nonce, long TimestampUnixSeconds, string Signature);

using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Verification;

// One GPU's result in a capacity check, as its checker signed it: correct product (opened rows passed their Merkle
// proofs and Freivalds' check) and answered in time for the claimed model. LimitUs: the latest answer the timing rule
// passed (0 when not timed, or signed by a checker older than the field).
public sealed record GpuVerdictView(int Index, bool Passed, bool ProductCorrect, long AnsweredUs, long ExpectedUs, [property: MaxLength(TextLimits.Reason)] string Reason, long LimitUs = 0);

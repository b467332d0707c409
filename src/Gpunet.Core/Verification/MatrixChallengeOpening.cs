namespace Gpunet.Core.Verification;

/// <summary>One row of a committed product, with the Merkle path that ties it to the commitment's root.</summary>
/// <param name="Row">Which row of C, from 0.</param>
/// <param name="Values">The row's n entries as the host committed them.</param>
/// <param name="Path">Sibling hashes (32 bytes each) from the row's leaf up to the root, lowest first; a level where
/// the row's subtree has no sibling (the last node of an odd level) contributes none.</param>
public sealed record MatrixChallengeOpening(int Row, int[] Values, byte[][] Path);

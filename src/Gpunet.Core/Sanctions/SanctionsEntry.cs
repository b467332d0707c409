namespace Gpunet.Core.Sanctions;

/// <summary>One listed person, organisation, vessel or aircraft on a sanctions list.</summary>
/// <param name="EntryId">The list's own id (OFAC's <c>ent_num</c>), e.g. <c>12345</c>.</param>
/// <param name="PrimaryName">The name as listed; individuals are <c>LAST, First</c>.</param>
/// <param name="Type"><c>individual</c>, <c>entity</c>, <c>vessel</c> or <c>aircraft</c>.</param>
/// <param name="Aliases">Other names (a.k.a., f.k.a., n.k.a.), without the primary name and without repeats.</param>
/// <param name="Programs">Sanctions programs, e.g. <c>SDGT</c>, <c>IRAN</c>, without brackets.</param>
/// <param name="DatesOfBirth">Every date of birth on file (individuals only).</param>
/// <param name="Countries">ISO 3166-1 alpha-2 codes from nationality, citizenship, place of birth, registration and flag.</param>
public sealed record SanctionsEntry(
    string EntryId,
    string PrimaryName,
    string Type,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Programs,
    IReadOnlyList<BirthDate> DatesOfBirth,
    IReadOnlyList<string> Countries);

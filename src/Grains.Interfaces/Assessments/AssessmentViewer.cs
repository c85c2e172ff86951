using System.Collections.Immutable;

namespace Coaching.Assessments;

/// <summary>
/// Who is looking at assessments, as the visibility rule needs it: the user, the two roles that see every assessment,
/// and the coach groups the user belongs to (as far as the caller looked them up: passing fewer groups only hides more).
/// </summary>
[GenerateSerializer, Immutable, Alias("coaching.assessment-viewer")]
public sealed record AssessmentViewer(
    [property: Id(0)] string UserId,
    [property: Id(1)] bool IsAdmin = false,
    [property: Id(2)] bool IsSupervisor = false,
    [property: Id(3)] ImmutableArray<string> CoachGroups = default)
{
    /// <summary>Whether the viewer belongs to <paramref name="groupId"/> (per <see cref="CoachGroups"/>).</summary>
    public bool InGroup(string? groupId) =>
        groupId is not null && !CoachGroups.IsDefault && CoachGroups.Contains(groupId, StringComparer.Ordinal);
}

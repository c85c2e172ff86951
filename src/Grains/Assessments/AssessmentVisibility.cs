namespace Coaching.Assessments;

/// <summary>
/// Who may see an assessment, as one rule: admins and supervisors see every assessment; its trainee sees it; its
/// assigned coach sees it; every member of its coach group sees it. Nobody else does. <c>GET /v1/assessments/{id}</c>
/// and every command answer 404 when it says no, and every queue filters its lines with it, so no list shows an
/// assessment the single read hides. It reads only what an <see cref="AssessmentSummary"/> (a queue line) carries,
/// so a queue decides from its lines without asking the assessments. Group membership is passed in through
/// <see cref="AssessmentViewer.CoachGroups"/>: the rule looks nothing up.
/// </summary>
public static class AssessmentVisibility
{
    public static bool CanSee(AssessmentViewer viewer, Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return CanSee(viewer, assessment.TraineeId, assessment.CoachId, assessment.CoachGroupId);
    }

    public static bool CanSee(AssessmentViewer viewer, AssessmentSummary line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return CanSee(viewer, line.TraineeId, line.CoachId, line.CoachGroupId);
    }

    /// <summary>
    /// Whether the answer depends on membership of the assessment's coach group: the caller need look that group up
    /// only then.
    /// </summary>
    public static bool NeedsMembership(AssessmentViewer viewer, Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return !CanSee(viewer, assessment) && assessment.CoachGroupId is not null;
    }

    private static bool CanSee(AssessmentViewer viewer, string traineeId, string? coachId, string? coachGroupId)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        return viewer.IsAdmin
            || viewer.IsSupervisor
            || traineeId == viewer.UserId
            || (coachId is not null && coachId == viewer.UserId)
            || viewer.InGroup(coachGroupId);
    }
}

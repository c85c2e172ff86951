using System.Collections.Immutable;
using Coaching.Assessments;
using Coaching.Inbox;
using Coaching.Moments;
using Coaching.Notifications;
using Coaching.Directory;

namespace Coaching.Grains.Tests;

/// <summary>A trainee and a coach group of two, under a prefix of the test's own, and the grain calls tests make on them.</summary>
public sealed class Floor(GrainTier tier, string prefix)
{
    public string Trainee { get; } = prefix + "-trainee";

    public string Supervisor { get; } = prefix + "-supervisor";

    public string CoachGroup { get; } = prefix + "-coaches";

    public ImmutableArray<string> Coaches { get; } = [prefix + "-coach-a", prefix + "-coach-b"];

    /// <summary>The coach the assignment rule picks for <see cref="Trainee"/>.</summary>
    public string Coach => CoachAssignment.Choose(Trainee, Coaches)!;

    public async Task<Floor> SetUp()
    {
        foreach (var user in Coaches.Append(Trainee).Append(Supervisor))
        {
            await tier.Grains.GetGrain<IUserGrain>(user).Put(new UserUpdate($"Name of {user}", null, true));
        }

        await tier.Grains.GetGrain<IGroupGrain>(CoachGroup).Put("Coaches", Coaches);
        return this;
    }

    /// <summary>A coach-mode assessment created now (by the silo's clock) and due after <paramref name="duration"/>.</summary>
    public NewAssessment Assessment(string eventId, TimeSpan duration, bool closeOnExpiry = true) => new(
        "OPP-" + prefix, 1, Trainee, CoachGroup, new AssessmentSource("incident", "INC-" + eventId, eventId), tier.Clock.GetUtcNow(), duration,
        closeOnExpiry, CompletionMode.Coach, ImmutableDictionary<string, string?>.Empty, null, [], [], null, null);

    public IAssessmentGrain AssessmentGrain(string eventId) => tier.Grains.GetGrain<IAssessmentGrain>(AssessmentIds.For("OPP-" + prefix, eventId));

    public AssessmentActor AsCoach => new(Coach, IsCoach: true);

    public AssessmentActor AsTrainee => new(Trainee);

    /// <summary>The notifications of <paramref name="type"/> about <paramref name="subjectId"/> in <paramref name="user"/>'s inbox.</summary>
    public async Task<int> Notices(string user, NotificationType type, string subjectId)
    {
        var page = await tier.Grains.GetGrain<INotificationInboxGrain>(user).List(false, 200, null);
        return page.Items.Count(n => n.Type == type && n.Subject.Id == subjectId);
    }

    /// <summary>The line of <paramref name="assessmentId"/> in the trainee's queue, if it is listed there.</summary>
    public async Task<AssessmentSummary?> TraineeLine(string assessmentId)
    {
        var page = await tier.Grains.GetGrain<IAssessmentQueueGrain>(AssessmentQueues.OfTrainee(Trainee)).List(new AssessmentFilter([]), 100, null);
        return page.Items.SingleOrDefault(l => l.Id == assessmentId);
    }
}

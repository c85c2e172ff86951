using System.Collections.Immutable;
using Coaching.Assessments;

namespace Coaching.Domain.Tests.Assessments;

public class AssessmentVisibilityTests
{
    public enum Viewer { Admin, Supervisor, Trainee, AssignedCoach, GroupMember, OtherGroupMember, OtherCoach, OtherTrainee, Stranger }

    public enum Shape { Assigned, Unassigned, NoCoachGroup }

    private const string Trainee = "t1";
    private const string Coach = "c1";
    private const string CoachGroup = "coaches";

    // Every role and relationship against an assessment assigned to c1 in "coaches", one still in the group's queue
    // (no coach), and one with a coach but no coach group.
    public static TheoryData<Viewer, Shape, bool> Cases
    {
        get
        {
            var data = new TheoryData<Viewer, Shape, bool>();
            foreach (var shape in Enum.GetValues<Shape>())
            {
                data.Add(Viewer.Admin, shape, true);
                data.Add(Viewer.Supervisor, shape, true);
                data.Add(Viewer.Trainee, shape, true);
                data.Add(Viewer.AssignedCoach, shape, shape != Shape.Unassigned);
                data.Add(Viewer.GroupMember, shape, shape != Shape.NoCoachGroup);
                data.Add(Viewer.OtherGroupMember, shape, false);
                data.Add(Viewer.OtherCoach, shape, false);
                data.Add(Viewer.OtherTrainee, shape, false);
                data.Add(Viewer.Stranger, shape, false);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void One_rule_decides_who_sees_an_assessment(Viewer who, Shape shape, bool shown)
    {
        var assessment = Of(shape);
        var viewer = ViewerOf(who);

        Assert.Equal(shown, AssessmentVisibility.CanSee(viewer, assessment));
        Assert.Equal(shown, AssessmentVisibility.CanSee(viewer, AssessmentSummary.Of(assessment)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Membership_is_needed_only_when_it_decides(Viewer who, Shape shape, bool shown)
    {
        var assessment = Of(shape);
        var withoutGroups = ViewerOf(who) with { CoachGroups = [] };

        var needs = AssessmentVisibility.NeedsMembership(withoutGroups, assessment);

        Assert.Equal(!AssessmentVisibility.CanSee(withoutGroups, assessment) && shape != Shape.NoCoachGroup, needs);
        if (!needs)
        {
            // Without the lookup the answer is already the final one.
            Assert.Equal(shown, AssessmentVisibility.CanSee(withoutGroups, assessment));
        }
    }

    [Fact]
    public void A_viewer_whose_groups_were_not_looked_up_sees_no_group_queue()
    {
        var assessment = Of(Shape.Unassigned);

        Assert.False(AssessmentVisibility.CanSee(new AssessmentViewer("c2"), assessment));
        Assert.True(AssessmentVisibility.CanSee(new AssessmentViewer("c2", CoachGroups: [CoachGroup]), assessment));
    }

    [Fact]
    public void A_group_id_is_matched_exactly()
    {
        var assessment = Of(Shape.Unassigned);

        Assert.False(AssessmentVisibility.CanSee(new AssessmentViewer("c2", CoachGroups: ["Coaches", "coaches "]), assessment));
    }

    private static Assessment Of(Shape shape) => new()
    {
        Id = "a-1",
        TraineeId = Trainee,
        CoachId = shape == Shape.Unassigned ? null : Coach,
        CoachGroupId = shape == Shape.NoCoachGroup ? null : CoachGroup,
    };

    private static AssessmentViewer ViewerOf(Viewer who) => who switch
    {
        Viewer.Admin => new("admin", IsAdmin: true),
        Viewer.Supervisor => new("sup", IsSupervisor: true),
        Viewer.Trainee => new(Trainee),
        Viewer.AssignedCoach => new(Coach),
        Viewer.GroupMember => new("c2", CoachGroups: ImmutableArray.Create("other", CoachGroup)),
        Viewer.OtherGroupMember => new("c3", CoachGroups: ["other"]),
        Viewer.OtherCoach => new("c4"),
        Viewer.OtherTrainee => new("t2"),
        _ => new("stranger"),
    };
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Coaching.Assessments;
using Coaching.Notifications;
using Coaching.Sessions;

namespace Coaching.Domain.Tests.Assessments;

/// <summary>The enums serialize to exactly API.md's spellings, whatever naming policy the HTTP layer uses.</summary>
public class WireNamesTests
{
    private static readonly JsonSerializerOptions CamelCase = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static TheoryData<object, string> Names => new()
    {
        { NotificationType.SessionSuggested, "session-suggested" },
        { NotificationType.SessionCanceledBySupervisor, "session-canceled-by-supervisor" },
        { NotificationType.SessionExpired, "session-expired" },
        { NotificationType.SessionCanceledByCoach, "session-canceled-by-coach" },
        { NotificationType.SessionCanceledByTrainee, "session-canceled-by-trainee" },
        { NotificationType.SessionScheduled, "session-scheduled" },
        { NotificationType.AssessmentAssigned, "assessment-assigned" },
        { NotificationType.AssessmentResolved, "assessment-resolved" },
        { NotificationType.AssessmentExpired, "assessment-expired" },
        { NotificationType.SurveyRequested, "survey-requested" },
        { SessionState.Suggested, "Suggested" },
        { SessionState.Scheduled, "Scheduled" },
        { SessionState.Completed, "Completed" },
        { SessionState.Canceled, "Canceled" },
        { CanceledBy.Supervisor, "supervisor" },
        { CanceledBy.Coach, "coach" },
        { CanceledBy.Trainee, "trainee" },
        { CanceledBy.Expired, "expired" },
        { ParticipantType.User, "user" },
        { ParticipantType.Group, "group" },
        { AssessmentState.New, "New" },
        { AssessmentState.InProgress, "InProgress" },
        { AssessmentState.Resolved, "Resolved" },
        { AssessmentState.ClosedComplete, "ClosedComplete" },
        { AssessmentState.Canceled, "Canceled" },
        { AssessmentRating.Excellent, "Excellent" },
        { AssessmentRating.Unacceptable, "Unacceptable" },
        { CloseReason.Expired, "expired" },
        { CompletionMode.Virtual, "virtual" },
        { SurveyQuestionType.Rating, "rating" },
        { SurveyQuestionType.Text, "text" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Serializes_to_the_api_spelling_and_back(object value, string wire)
    {
        var plain = JsonSerializer.Serialize(value, value.GetType());
        var camel = JsonSerializer.Serialize(value, value.GetType(), CamelCase);

        Assert.Equal($"\"{wire}\"", plain);
        Assert.Equal($"\"{wire}\"", camel);
        Assert.Equal(value, JsonSerializer.Deserialize($"\"{wire}\"", value.GetType(), CamelCase));
    }

    [Fact]
    public void A_participant_reads_as_in_the_api_example()
    {
        var p = JsonSerializer.Deserialize<Participant>("""{"type": "group", "id": "team-b"}""", CamelCase);

        Assert.Equal(Participant.Group("team-b"), p);
    }
}

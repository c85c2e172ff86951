using System.Text.Json.Serialization;

namespace Coaching.Sessions;

// Wire spellings live here, once, as [JsonStringEnumMemberName] on every member (API.md).

[JsonConverter(typeof(JsonStringEnumConverter<SessionState>))]
public enum SessionState
{
    [JsonStringEnumMemberName("Suggested")] Suggested,
    [JsonStringEnumMemberName("Scheduled")] Scheduled,
    [JsonStringEnumMemberName("Completed")] Completed,
    [JsonStringEnumMemberName("Canceled")] Canceled,
}

/// <summary>Who (or what) canceled a suggested session.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CanceledBy>))]
public enum CanceledBy
{
    [JsonStringEnumMemberName("supervisor")] Supervisor,
    [JsonStringEnumMemberName("coach")] Coach,
    [JsonStringEnumMemberName("trainee")] Trainee,
    [JsonStringEnumMemberName("expired")] Expired,
}

[JsonConverter(typeof(JsonStringEnumConverter<ParticipantType>))]
public enum ParticipantType
{
    [JsonStringEnumMemberName("user")] User,
    [JsonStringEnumMemberName("group")] Group,
}

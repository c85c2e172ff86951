using System.Globalization;
using Coaching.Api.Endpoints;
using Coaching.Sessions;

namespace Coaching.Api.Web.Components.Pages.Sessions;

/// <summary>
/// What a person types into a session form (suggest, edit, schedule), kept as typed so a refusal never loses it.
/// Coach and trainees are written as ids, a group as <c>group:</c> followed by its id; times are UTC.
/// </summary>
public sealed class SessionFormModel
{
    public const string GroupPrefix = "group:";
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm";
    private static readonly string[] TimeFormats = [TimeFormat, "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.fff"];

    public string Title { get; set; } = "";

    public string Coach { get; set; } = "";

    public string Trainees { get; set; } = "";

    public string CoachingArea { get; set; } = "";

    public string Expiry { get; set; } = "";

    public string ReferenceCases { get; set; } = "";

    public string Start { get; set; } = "";

    public int? DurationMinutes { get; set; } = 30;

    /// <summary>A new suggestion's form: expiry three months ahead (SPEC B's default).</summary>
    public static SessionFormModel New(DateTimeOffset now) => new() { Expiry = Time(now.AddMonths(3)) };

    /// <summary>The form filled with a session as it is (the schedule and edit forms come back pre-filled).</summary>
    public static SessionFormModel Of(SuggestedSession session, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new()
        {
            Title = session.Title,
            Coach = Written(session.Coach),
            Trainees = string.Join(", ", session.Trainees.Select(Written)),
            CoachingArea = session.CoachingArea,
            Expiry = Time(session.ExpiresAt),
            ReferenceCases = string.Join(", ", session.ReferenceCases),
            Start = Time(session.ScheduledAt ?? NextHalfHour(now.AddDays(1))),
            DurationMinutes = session.DurationMinutes ?? 30,
        };
    }

    public static string Written(Participant participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        return participant.Type == ParticipantType.Group ? GroupPrefix + participant.Id : participant.Id;
    }

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Splits a comma separated list, dropping empty entries.</summary>
    public static List<string> Items(string? text) =>
        [.. (text ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static SessionEndpoints.ParticipantBody Participant(string written)
    {
        var text = (written ?? "").Trim();
        return text.StartsWith(GroupPrefix, StringComparison.OrdinalIgnoreCase)
            ? new SessionEndpoints.ParticipantBody("group", text[GroupPrefix.Length..].Trim())
            : new SessionEndpoints.ParticipantBody("user", text);
    }

    public SessionEndpoints.ParticipantBody CoachBody() => Participant(Coach);

    public List<SessionEndpoints.ParticipantBody?> TraineeBodies() => [.. Items(Trainees).Select(Participant)];

    public List<string?> Cases() => [.. Items(ReferenceCases)];

    public string? Area => string.IsNullOrWhiteSpace(CoachingArea) ? null : CoachingArea;

    /// <summary>The typed UTC time; null when empty (the API's default) or not a time.</summary>
    public static DateTimeOffset? ReadTime(string? text) =>
        DateTime.TryParseExact(text?.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;

    public SessionEndpoints.SuggestBody SuggestBody() =>
        new(Title, CoachBody(), TraineeBodies(), Area, ReadTime(Expiry), Cases());

    public SessionEndpoints.EditBody EditBody() =>
        new(Title, CoachBody(), TraineeBodies(), Area, ReadTime(Expiry), Cases());

    public SessionEndpoints.ScheduleBody ScheduleBody() =>
        new(ReadTime(Start), DurationMinutes, Title, TraineeBodies(), Area, Cases());

    private static DateTimeOffset NextHalfHour(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        var rounded = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
        return rounded.AddMinutes(utc.Minute < 30 ? 30 : 60);
    }
}

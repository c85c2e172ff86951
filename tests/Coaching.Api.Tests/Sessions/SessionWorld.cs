using System.Net;
using System.Text.Json;
using Coaching.Testing;

namespace Coaching.Api.Tests.Sessions;

/// <summary>
/// A small directory of its own per test (ids prefixed so tests sharing the host never meet), set up
/// through the directory routes, plus callers and readers for the session routes.
/// Users: sup (Sam Super), coach (Cora Coach), coach2 (Carl Coach), t1 (Tia Trainee), t2 (Tom Trainee).
/// Groups: coaches {coach, coach2}, team {t1, t2}. Coaching area: empathy.
/// </summary>
internal sealed class SessionWorld
{
    private readonly CoachingApi api;

    private SessionWorld(CoachingApi api, string prefix)
    {
        this.api = api;
        Prefix = prefix;
    }

    public string Prefix { get; }

    public string Sup => Id("sup");
    public string Coach => Id("coach");
    public string Coach2 => Id("coach2");
    public string T1 => Id("t1");
    public string T2 => Id("t2");
    public string Coaches => Id("coaches");
    public string Team => Id("team");
    public string Area => Id("empathy");

    public static async Task<SessionWorld> CreateAsync(CoachingApi api)
    {
        var world = new SessionWorld(api, "s" + Guid.NewGuid().ToString("N")[..8]);
        await world.UserAsync("sup", "Sam Super");
        await world.UserAsync("coach", "Cora Coach");
        await world.UserAsync("coach2", "Carl Coach");
        await world.UserAsync("t1", "Tia Trainee");
        await world.UserAsync("t2", "Tom Trainee");
        await world.GroupAsync("coaches", "coach", "coach2");
        await world.GroupAsync("team", "t1", "t2");
        await (await api.Admin().PutJson($"/v1/coaching-areas/{world.Area}", new { name = "Empathy" })).Expect(HttpStatusCode.OK);
        return world;
    }

    public string Id(string name) => $"{Prefix}-{name}";

    public async Task UserAsync(string name, string displayName) =>
        await (await api.Admin().PutJson($"/v1/users/{Id(name)}", new { displayName })).Expect(HttpStatusCode.OK);

    public async Task GroupAsync(string name, params string[] members) =>
        await (await api.Admin().PutJson($"/v1/groups/{Id(name)}", new { displayName = name, members = members.Select(Id).ToArray() })).Expect(HttpStatusCode.OK);

    public async Task DeleteUserAsync(string userId) =>
        await (await api.Admin().DeleteAsync($"/v1/users/{userId}")).Expect(HttpStatusCode.NoContent);

    /// <summary>A supervisor with both permissions (or the ones given).</summary>
    public HttpClient Supervisor(string? userId = null, params string[] permissions) =>
        api.As(userId ?? Sup, ["supervisor"], permissions.Length > 0 ? permissions : ["suggestions.create", "suggestions.view"]);

    public HttpClient CoachClient(string? userId = null, bool view = true) =>
        api.As(userId ?? Coach, ["coach"], view ? ["suggestions.view"] : []);

    public HttpClient Agent(string userId, bool view = true) =>
        api.As(userId, ["agent"], view ? ["suggestions.view"] : []);

    public static object User(string id) => new { type = "user", id };

    public static object Group(string id) => new { type = "group", id };

    /// <summary>A valid suggestion: coach user, trainee t1, the area, default expiry, one case.</summary>
    public Dictionary<string, object?> Draft(object? coach = null, object[]? trainees = null, DateTimeOffset? expiresAt = null, string[]? cases = null) => new()
    {
        ["title"] = "Empathy on escalations",
        ["coach"] = coach ?? User(Coach),
        ["trainees"] = trainees ?? [User(T1)],
        ["coachingArea"] = Area,
        ["expiresAt"] = expiresAt,
        ["referenceCases"] = cases ?? [Id("CASE-9")],
    };

    public async Task<JsonElement> SuggestAsync(Dictionary<string, object?>? draft = null, HttpClient? supervisor = null) =>
        await (await (supervisor ?? Supervisor()).PostJson("/v1/sessions", draft ?? Draft())).Expect(HttpStatusCode.Created);

    public async Task<string> SuggestIdAsync(Dictionary<string, object?>? draft = null) =>
        (await SuggestAsync(draft)).GetProperty("id").GetString()!;

    /// <summary>The user's inbox as (type, text, subject id), newest first.</summary>
    public async Task<List<(string Type, string Text, string Subject)>> InboxAsync(string userId)
    {
        var page = await (await api.As(userId, ["agent"]).GetAsync("/v1/me/notifications?limit=200")).Expect(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => (
            i.GetProperty("type").GetString()!,
            i.GetProperty("text").GetString()!,
            i.GetProperty("subject").GetProperty("id").GetString()!))];
    }

    /// <summary>The notifications the user got about one session, oldest first, as "type: text".</summary>
    public async Task<List<string>> NoticesAsync(string userId, string sessionId) =>
        [.. (await InboxAsync(userId)).Where(n => n.Subject == sessionId).Reverse().Select(n => $"{n.Type}: {n.Text}")];

    public static async Task<List<string>> IdsAsync(HttpClient client, string url)
    {
        var page = await (await client.GetAsync(url)).Expect(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
    }
}

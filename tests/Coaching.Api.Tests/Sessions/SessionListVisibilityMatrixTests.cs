using System.Net;
using Coaching.Testing;
using static Coaching.Api.Tests.Sessions.SessionWorld;

namespace Coaching.Api.Tests.Sessions;

/// <summary>
/// SPEC B "one rule decides whether a caller sees a session": across every session state (and every way to be canceled)
/// and every role, a list shows a session exactly when the session is on that list and GET answers 200 for it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SessionListVisibilityMatrixTests(SharedApi api)
{
    [Fact]
    public async Task No_list_shows_a_session_that_GET_answers_404_for_and_each_list_shows_the_readable_ones_on_it()
    {
        var w = await SessionWorld.CreateAsync(api);
        await w.UserAsync("coach3", "Other Coach");
        await w.UserAsync("t3", "Other Trainee");
        await w.UserAsync("sup2", "Other Supervisor");
        var caseId = w.Id("CASE-M");
        var later = DateTimeOffset.UtcNow.AddDays(1);
        var draft = w.Draft(coach: Group(w.Coaches), trainees: [Group(w.Team)], cases: [caseId]);

        // One session in each state, and one for each way to end up Canceled.
        var shapes = new Dictionary<string, string>();
        shapes["Suggested"] = await w.SuggestIdAsync(draft);
        shapes["Scheduled"] = await w.SuggestIdAsync(draft);
        await (await w.CoachClient().PostJson($"/v1/sessions/{shapes["Scheduled"]}/schedule", new { scheduledAt = later, durationMinutes = 30 })).Expect(HttpStatusCode.OK);
        shapes["Completed"] = await w.SuggestIdAsync(draft);
        await (await w.CoachClient().PostJson($"/v1/sessions/{shapes["Completed"]}/schedule", new { scheduledAt = later.AddHours(2), durationMinutes = 30 })).Expect(HttpStatusCode.OK);
        await (await w.CoachClient().PostJson($"/v1/sessions/{shapes["Completed"]}/complete", new { notes = "Went well." })).Expect(HttpStatusCode.OK);
        shapes["Canceled by supervisor"] = await w.SuggestIdAsync(draft);
        await (await w.Supervisor().DeleteAsync($"/v1/sessions/{shapes["Canceled by supervisor"]}")).Expect(HttpStatusCode.NoContent);
        shapes["Canceled by coach"] = await w.SuggestIdAsync(draft);
        await (await w.CoachClient(w.Coach2).PostJson($"/v1/sessions/{shapes["Canceled by coach"]}/decline", new { reason = "no time" })).Expect(HttpStatusCode.OK);
        shapes["Canceled by trainee"] = await w.SuggestIdAsync(draft);
        await (await w.Agent(w.T2).PostJson($"/v1/sessions/{shapes["Canceled by trainee"]}/decline", new { reason = "on leave" })).Expect(HttpStatusCode.OK);
        var expiring = new Dictionary<string, object?>(draft) { ["expiresAt"] = DateTimeOffset.UtcNow.AddSeconds(2) };
        shapes["Expired"] = await w.SuggestIdAsync(expiring);
        Assert.True(await SiloUnderTest.EventuallyAsync(
            async () => (await (await w.Supervisor().GetAsync($"/v1/sessions/{shapes["Expired"]}")).Expect(HttpStatusCode.OK)).GetProperty("state").GetString() == "Canceled",
            TimeSpan.FromSeconds(30)), "the session did not expire");

        // Every role, with and without suggestions.view; "on" = the lists each session is on for that caller.
        var roles = new List<(string Name, HttpClient Client, string UserId, string[] Roles)>();
        foreach (var view in new[] { true, false })
        {
            string[] perms = view ? ["suggestions.view"] : [];
            var suffix = view ? "" : " (no suggestions.view)";
            roles.Add(("admin" + suffix, api.As(w.Id("admin"), ["coaching.admin"], perms), w.Id("admin"), ["coaching.admin"]));
            roles.Add(("its supervisor" + suffix, api.As(w.Sup, ["supervisor"], [.. perms, "suggestions.create"]), w.Sup, ["supervisor"]));
            roles.Add(("another supervisor" + suffix, api.As(w.Id("sup2"), ["supervisor"], [.. perms, "suggestions.create"]), w.Id("sup2"), ["supervisor"]));
            roles.Add(("its coach" + suffix, w.CoachClient(w.Coach, view), w.Coach, ["coach"]));
            roles.Add(("its coach group member" + suffix, w.CoachClient(w.Coach2, view), w.Coach2, ["coach"]));
            roles.Add(("a coach not in it" + suffix, w.CoachClient(w.Id("coach3"), view), w.Id("coach3"), ["coach"]));
            roles.Add(("its trainee" + suffix, w.Agent(w.T1, view), w.T1, ["agent"]));
            roles.Add(("its trainee through the team" + suffix, w.Agent(w.T2, view), w.T2, ["agent"]));
            roles.Add(("an agent not in it" + suffix, w.Agent(w.Id("t3"), view), w.Id("t3"), ["agent"]));
        }

        var shown = 0;
        var hidden = 0;
        var failures = new List<string>();
        foreach (var (name, client, userId, roleNames) in roles)
        {
            var readable = new Dictionary<string, bool>();
            foreach (var (shape, id) in shapes)
            {
                var status = (await client.GetAsync($"/v1/sessions/{id}")).StatusCode;
                Assert.True(status is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{name} GET {shape}: {(int)status}");
                readable[id] = status == HttpStatusCode.OK;
            }

            var widePages = roleNames is ["coaching.admin"] or ["supervisor"] or ["coach"];
            var lists = new List<(string Url, Func<string, bool> On)>
            {
                ("/v1/me/suggested-sessions", _ => userId == w.Sup),
                ("/v1/me/coaching-sessions", _ => userId == w.Coach || userId == w.Coach2),
                ($"/v1/cases/{caseId}/sessions", _ => true),
            };
            foreach (var agent in new[] { w.T1, w.T2 })
            {
                if (widePages || agent == userId)
                {
                    lists.Add(($"/v1/agents/{agent}/sessions", _ => true));
                }
            }

            foreach (var (url, on) in lists)
            {
                var listed = (await IdsAsync(client, url + "?limit=200")).ToHashSet();
                foreach (var (shape, id) in shapes)
                {
                    var expected = on(id) && readable[id];
                    if (listed.Contains(id) != expected)
                    {
                        failures.Add($"{name}, {shape}, {url}: listed {listed.Contains(id)}, GET {(readable[id] ? 200 : 404)}");
                    }

                    _ = expected ? shown++ : hidden++;
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        // The matrix is not empty either way, and the rule's known answers hold.
        Assert.True(shown > 50 && hidden > 50, $"shown {shown}, hidden {hidden}");
        await (await w.CoachClient(w.Id("coach3")).GetAsync($"/v1/sessions/{shapes["Scheduled"]}")).Expect(HttpStatusCode.NotFound);
        await (await w.Agent(w.T1).GetAsync($"/v1/sessions/{shapes["Canceled by coach"]}")).Expect(HttpStatusCode.NotFound);
        await (await w.Agent(w.T1).GetAsync($"/v1/sessions/{shapes["Expired"]}")).Expect(HttpStatusCode.NotFound);
        await (await api.As(w.Id("sup2"), ["supervisor"], ["suggestions.view"]).GetAsync($"/v1/sessions/{shapes["Suggested"]}")).Expect(HttpStatusCode.OK);
    }
}

using System.Net;
using System.Text.Json;

namespace Coaching.Api.Tests;

/// <summary>
/// Every route of the OpenAPI document against anonymous callers and each role: 401 without a token, 403 for a
/// role the route is not for, and through (neither 401 nor 403) for each role it is for. Object-level checks
/// (404 for what a caller may not see) are in each area's own tests. A route missing here fails the test.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(SharedApi api)
{
    private const string Admin = "coaching.admin", Integration = "integration", Supervisor = "supervisor", Coach = "coach", Agent = "agent";
    private static readonly string[] AllRoles = [Admin, Integration, Supervisor, Coach, Agent];

    // The people who coach and are coached; the integration's service identity only feeds events and the directory.
    private static readonly string[] People = [Admin, Supervisor, Coach, Agent];

    /// <summary>Who may call each route, by role, as API.md and SPEC.md say.</summary>
    private static readonly Dictionary<string, string[]> Matrix = new(StringComparer.Ordinal)
    {
        ["PUT /v1/users/{id}"] = [Admin, Integration],
        ["GET /v1/users/{id}"] = [Admin, Integration],
        ["DELETE /v1/users/{id}"] = [Admin, Integration],
        ["PUT /v1/groups/{id}"] = [Admin, Integration],
        ["GET /v1/groups/{id}"] = [Admin, Integration],
        ["PUT /v1/coaching-areas/{id}"] = [Admin, Integration],
        ["GET /v1/coaching-areas"] = AllRoles,
        ["PUT /v1/surveys/{id}"] = [Admin, Integration],
        ["GET /v1/surveys/{id}"] = [Admin, Integration],
        ["GET /v1/me/notifications"] = AllRoles,
        ["POST /v1/me/notifications/{id}/read"] = AllRoles,
        ["GET /v1/me/notifications/stream"] = AllRoles,

        ["POST /v1/opportunities"] = [Admin],
        ["GET /v1/opportunities"] = [Admin],
        ["GET /v1/opportunities/{id}"] = [Admin],
        ["PUT /v1/opportunities/{id}"] = [Admin],
        ["POST /v1/opportunities/{id}/activate"] = [Admin],
        ["POST /v1/opportunities/{id}/deactivate"] = [Admin],
        ["GET /v1/opportunities/{id}/stats"] = [Admin],
        ["POST /v1/events"] = [Integration],
        ["POST /v1/events/batch"] = [Integration],

        ["GET /v1/assessments/{id}"] = People,
        ["POST /v1/assessments/{id}/claim"] = People,
        ["POST /v1/assessments/{id}/start"] = People,
        ["POST /v1/assessments/{id}/complete"] = People,
        ["POST /v1/assessments/{id}/reopen"] = People,
        ["POST /v1/assessments/{id}/cancel"] = [Admin],
        ["POST /v1/assessments/{id}/reassign"] = People,
        ["POST /v1/assessments/{id}/resolve"] = People,
        ["POST /v1/assessments/{id}/notes"] = People,
        ["POST /v1/assessments/{id}/learning-tasks/{taskId}/complete"] = People,
        ["GET /v1/coaches/{userId}/assessments"] = People,
        ["GET /v1/coach-groups/{groupId}/assessments"] = People,
        ["GET /v1/trainees/{userId}/assessments"] = People,
        ["GET /v1/me/surveys"] = People,
        ["POST /v1/survey-requests/{id}/responses"] = People,

        ["POST /v1/sessions"] = [Supervisor],
        ["PATCH /v1/sessions/{id}"] = [Supervisor],
        ["DELETE /v1/sessions/{id}"] = [Supervisor],
        ["GET /v1/sessions/{id}"] = People,
        ["POST /v1/sessions/{id}/schedule"] = People,
        ["POST /v1/sessions/{id}/decline"] = People,
        ["POST /v1/sessions/{id}/complete"] = People,
        ["GET /v1/me/suggested-sessions"] = People,
        ["GET /v1/me/coaching-sessions"] = People,
        ["GET /v1/agents/{userId}/sessions"] = People,
        ["GET /v1/cases/{caseId}/sessions"] = People,
    };

    public static TheoryData<string> Routes() => new(Matrix.Keys);

    public static IReadOnlyCollection<string> RouteKeys => Matrix.Keys;

    [Fact]
    public async Task Every_route_in_the_OpenAPI_document_is_in_the_matrix()
    {
        var documented = await DocumentedRoutes();
        var missing = documented.Except(Matrix.Keys).ToList();
        Assert.True(missing.Count == 0, "routes without an authorization expectation: " + string.Join(", ", missing));
        var stale = Matrix.Keys.Except(documented).ToList();
        Assert.True(stale.Count == 0, "matrix rows for routes that do not exist: " + string.Join(", ", stale));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_route_answers_each_caller_as_the_matrix_says(string route)
    {
        var (method, path) = Split(route);
        var anonymous = await Send(api.Anonymous(), method, path);
        Assert.True(anonymous == HttpStatusCode.Unauthorized, $"{route} anonymous: {(int)anonymous}");

        foreach (var role in AllRoles)
        {
            var status = await Send(api.As("matrix-user", [role], ["suggestions.view", "suggestions.create"]), method, path);
            if (Matrix[route].Contains(role))
            {
                Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{route} as {role}: {(int)status}");
            }
            else
            {
                Assert.True(status == HttpStatusCode.Forbidden, $"{route} as {role}: expected 403, got {(int)status}");
            }
        }
    }

    private async Task<HashSet<string>> DocumentedRoutes()
    {
        var json = JsonDocument.Parse(await api.Anonymous().GetStringAsync("/openapi/v1.json")).RootElement;
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in json.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "put" or "post" or "patch" or "delete"))
            {
                routes.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
            }
        }

        return routes;
    }

    private static (string Method, string Path) Split(string route)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        var path = System.Text.RegularExpressions.Regex.Replace(route[(space + 1)..], "{[^}]+}", "matrix-probe");
        return (route[..space], path);
    }

    private static async Task<HttpStatusCode> Send(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "POST" or "PATCH")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        // Streams answer with headers first; the status is all this test needs.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return response.StatusCode;
    }
}

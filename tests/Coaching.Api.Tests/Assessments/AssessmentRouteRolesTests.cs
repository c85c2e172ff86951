using System.Net;
using Coaching.Testing;

namespace Coaching.Api.Tests.Assessments;

/// <summary>
/// Function-level authorization of every assessment and survey route: 401 without a token, 403 for a role the
/// route is not for, through (neither 401 nor 403) for each role it is for. Object-level checks are in the other tests.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AssessmentRouteRolesTests(SharedApi api)
{
    private const string Admin = "coaching.admin", Integration = "integration", Supervisor = "supervisor", Coach = "coach", Agent = "agent";
    private static readonly string[] AllRoles = [Admin, Integration, Supervisor, Coach, Agent];
    private static readonly string[] People = [Admin, Supervisor, Coach, Agent];

    /// <summary>The rows to add to the authorization matrix of every OpenAPI route.</summary>
    public static readonly Dictionary<string, string[]> Matrix = new(StringComparer.Ordinal)
    {
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
    };

    public static TheoryData<string> Routes() => new(Matrix.Keys);

    [Fact]
    public async Task Every_row_is_a_documented_route()
    {
        var document = System.Text.Json.JsonDocument.Parse(await api.Anonymous().GetStringAsync("/openapi/v1.json")).RootElement;
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Empty(Matrix.Keys.Except(documented));
        Assert.Empty(documented.Where(r => r.Contains("assessments", StringComparison.Ordinal) || r.Contains("survey", StringComparison.Ordinal))
            .Where(r => !r.Contains("/v1/surveys/", StringComparison.Ordinal))
            .Except(Matrix.Keys));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_route_answers_each_role_as_the_matrix_says(string route)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        var method = new HttpMethod(route[..space]);
        var path = System.Text.RegularExpressions.Regex.Replace(route[(space + 1)..], "{[^}]+}", "matrix-probe");
        Assert.Equal(HttpStatusCode.Unauthorized, await Send(api.Anonymous(), method, path));
        foreach (var role in AllRoles)
        {
            var status = await Send(api.As("matrix-user", [role]), method, path);
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

    private static async Task<HttpStatusCode> Send(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

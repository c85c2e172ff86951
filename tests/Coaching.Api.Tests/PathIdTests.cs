using Coaching.Api.Http;
using Coaching.Testing;

namespace Coaching.Api.Tests;

/// <summary>Every id in a path keeps the one id rule on every route: a malformed one is 400 naming the parameter.</summary>
[Collection(ApiCollection.Name)]
public sealed class PathIdTests(SharedApi api)
{
    // Each route of the API with an id in its path, {0} where the malformed id goes, and the parameter's name.
    public static TheoryData<string, string, string> Routes => new()
    {
        { "GET", "/v1/users/{0}", "id" },
        { "DELETE", "/v1/users/{0}", "id" },
        { "GET", "/v1/groups/{0}", "id" },
        { "GET", "/v1/surveys/{0}", "id" },
        { "GET", "/v1/opportunities/{0}", "id" },
        { "GET", "/v1/opportunities/{0}/stats", "id" },
        { "POST", "/v1/opportunities/{0}/deactivate", "id" },
        { "GET", "/v1/assessments/{0}", "id" },
        { "POST", "/v1/assessments/{0}/claim", "id" },
        { "POST", "/v1/assessments/ASMx/learning-tasks/{0}/complete", "taskId" },
        { "GET", "/v1/coach-groups/{0}/assessments", "groupId" },
        { "GET", "/v1/coaches/{0}/assessments", "userId" },
        { "GET", "/v1/trainees/{0}/assessments", "userId" },
        { "GET", "/v1/sessions/{0}", "id" },
        { "POST", "/v1/sessions/{0}/decline", "id" },
        { "GET", "/v1/agents/{0}/sessions", "userId" },
        { "GET", "/v1/cases/{0}/sessions", "caseId" },
        { "POST", "/v1/me/notifications/{0}/read", "id" },
    };

    // A trailing line feed, a tab, a space, an encoded slash, and one character too many. (An encoded NUL in a path
    // never gets this far: Kestrel refuses the request line itself with a bare 400.)
    private static readonly string[] Malformed = ["a%0A", "a%09b", "a%20b", "a%2Fb", new string('x', TextRule.MaxIdLength + 1)];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_malformed_path_id_is_400_naming_the_parameter(string method, string template, string parameter)
    {
        using var client = api.As("path-ids", ["coaching.admin", "coach", "supervisor", "agent"]);
        foreach (var id in Malformed)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id));
            if (method == "POST")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            await ControlCharacterProbe.ExpectField(response, parameter);
        }
    }

    [Theory]
    [InlineData("id", true)]
    [InlineData("caseId", true)]
    [InlineData("userId", true)]
    [InlineData("Id", true)]
    [InlineData("limit", false)]
    [InlineData("cursor", false)]
    [InlineData("identity", false)]
    public void Route_parameters_named_id_or_ending_in_Id_are_ids(string name, bool isId) =>
        Assert.Equal(isId, PathIds.IsIdParameter(name));
}

using System.Net;
using System.Text;
using Coaching.Testing;

namespace Coaching.Api.Tests;

/// <summary>What a careless or hostile client sends gets a 400 or 413 ProblemDetails, never a 500.</summary>
[Collection(ApiCollection.Name)]
public sealed class MalformedBodyTests(SharedApi api)
{
    public static TheoryData<string, string, string> Bodies => new()
    {
        { "/v1/users/bad-1", """{"displayName":"Trunc""", "truncated JSON" },
        { "/v1/users/bad-1", """{"displayName":42}""", "number for a string" },
        { "/v1/users/bad-1", """{"displayName":"A","active":"yes"}""", "string for a bool" },
        { "/v1/users/bad-1", """["displayName"]""", "array for an object" },
        { "/v1/users/bad-1", "", "empty body" },
        { "/v1/users/bad-1", "null", "null body" },
        { "/v1/users/bad-1", "{}", "missing field" },
        { "/v1/users/bad-1", """{"displayName":"   "}""", "blank field" },
        { "/v1/users/bad-1", "{\"displayName\":\"" + new string('x', 5000) + "\"}", "overlong field" },
        { "/v1/users/bad%2F..%2Fx", """{"displayName":"Path trick"}""", "id with a path trick" },
        { "/v1/groups/bad-g", """{"displayName":"G","members":"u-1"}""", "string for a list" },
        { "/v1/groups/bad-g", """{"displayName":"G","members":[1,2]}""", "numbers for ids" },
        { "/v1/groups/bad-g", """{"displayName":"G"}""", "missing members" },
        { "/v1/groups/bad-g", """{"displayName":"G","members":["ok","no/slash"]}""", "member id with a slash" },
        { "/v1/surveys/bad-s", """{"name":"S","questions":[{"id":"q","text":"t","type":"stars"}]}""", "unknown enum value" },
        { "/v1/surveys/bad-s", """{"name":"S","questions":[{"id":"q","text":"t","type":"rating"},{"id":"q","text":"u","type":"text"}]}""", "duplicate question id" },
        { "/v1/surveys/bad-s", """{"name":"S","questions":[]}""", "no questions" },
        { "/v1/coaching-areas/bad-a", """{"name":null}""", "null name" },
        { "/v1/coaching-areas/bad-a", new string('[', 5000) + new string(']', 5000), "deep nesting" },
        { "/v1/coaching-areas/bad-a", "{\"name\":\"\\uD800\"}", "lone surrogate" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Malformed_bodies_are_400_with_a_code(string path, string body, string what)
    {
        var response = await api.Admin().Send(HttpMethod.Put, path, body);
        var problem = await response.Expect(HttpStatusCode.BadRequest, "invalid-request");
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), what);
    }

    [Fact]
    public async Task Field_errors_name_the_field()
    {
        var response = await api.Admin().Send(HttpMethod.Put, "/v1/groups/bad-g", """{"members":["ok","no/slash"]}""");
        var problem = await response.Expect(HttpStatusCode.BadRequest, "invalid-request");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("displayName", out _));
        Assert.True(errors.TryGetProperty("members[1]", out _));
    }

    [Fact]
    public async Task A_ten_megabyte_body_is_413()
    {
        // A well-behaved client asks before sending a large body; the answer comes before any of it is sent.
        var request = new HttpRequestMessage(HttpMethod.Put, "/v1/users/huge")
        {
            Content = new StringContent("{\"displayName\":\"" + new string('x', 10 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        var response = await api.Admin().SendAsync(request);
        await response.Expect(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    [Fact]
    public async Task A_ten_megabyte_chunked_body_is_413()
    {
        var body = Encoding.UTF8.GetBytes("{\"displayName\":\"" + new string('x', 10 * 1024 * 1024) + "\"}");
        var (status, problem) = await RawHttp.SendChunked(api.CreateClient().BaseAddress!, "PUT", "/v1/users/huge-chunked",
            Tokens.For("u-admin", ["coaching.admin"]), body);
        Assert.Equal(413, status);
        Assert.Contains("\"code\":\"body-too-large\"", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/v1/users/text-body")
        {
            Content = new StringContent("displayName=x", Encoding.UTF8, "text/plain"),
        };
        var response = await api.Admin().SendAsync(request);
        await response.Expect(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }
}

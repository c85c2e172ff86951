using System.Net;
using System.Text.Json;
using Coaching.Testing;

namespace Coaching.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class HostingTests(SharedApi api)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_answers_without_a_token(string path)
    {
        var response = await api.Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_document_lists_every_directory_route_with_its_problems()
    {
        var response = await api.Anonymous().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");

        (string Path, string Method)[] expected =
        [
            ("/v1/users/{id}", "put"), ("/v1/users/{id}", "get"), ("/v1/users/{id}", "delete"),
            ("/v1/groups/{id}", "put"), ("/v1/groups/{id}", "get"),
            ("/v1/coaching-areas/{id}", "put"), ("/v1/coaching-areas", "get"),
            ("/v1/surveys/{id}", "put"), ("/v1/surveys/{id}", "get"),
        ];
        foreach (var (path, method) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} missing");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} missing");
            var responses = operation.GetProperty("responses");
            foreach (var status in new[] { "400", "401", "403" })
            {
                Assert.True(responses.TryGetProperty(status, out _), $"{method} {path} does not document {status}");
            }
        }
    }

    [Fact]
    public async Task Api_reference_page_is_served()
    {
        var response = await api.Anonymous().GetAsync("/reference/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync("/reference/scalar.js")).StatusCode);
    }

    [Fact]
    public async Task Unknown_route_is_a_problem_not_a_blank_page()
    {
        var response = await api.Admin().GetAsync("/v1/nothing-here");
        await response.Expect(HttpStatusCode.NotFound, "not-found");
    }
}

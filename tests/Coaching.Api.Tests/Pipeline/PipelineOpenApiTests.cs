using System.Net;
using System.Text.Json;

namespace Coaching.Api.Tests.Pipeline;

[Collection(ApiCollection.Name)]
public sealed class PipelineOpenApiTests(SharedApi api)
{
    [Fact]
    public async Task OpenApi_lists_the_opportunity_and_event_routes_with_their_problems()
    {
        var response = await api.Anonymous().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");

        (string Path, string Method, string[] Statuses)[] expected =
        [
            ("/v1/opportunities", "post", ["201", "400", "401", "403", "422"]),
            ("/v1/opportunities", "get", ["200", "401", "403"]),
            ("/v1/opportunities/{id}", "get", ["200", "404"]),
            ("/v1/opportunities/{id}", "put", ["200", "400", "404", "422"]),
            ("/v1/opportunities/{id}/stats", "get", ["200", "404"]),
            ("/v1/opportunities/{id}/activate", "post", ["200", "404"]),
            ("/v1/opportunities/{id}/deactivate", "post", ["200", "404"]),
            ("/v1/events", "post", ["200", "400", "401", "403", "413"]),
            ("/v1/events/batch", "post", ["200", "400", "401", "403", "413"]),
        ];
        foreach (var (path, method, statuses) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} missing");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} missing");
            foreach (var status in statuses)
            {
                Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"{method} {path} does not document {status}");
            }
        }
    }
}

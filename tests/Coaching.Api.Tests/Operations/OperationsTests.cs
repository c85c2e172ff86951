using System.Net;
using Coaching.Testing;

namespace Coaching.Api.Tests.Operations;

[Collection(ApiCollection.Name)]
public sealed class OperationsTests(SharedApi api)
{
    [Theory]
    [InlineData("/metrics")]
    [InlineData("/dashboard/")]
    public async Task Operations_pages_are_for_admins_only(string path)
    {
        await (await api.Anonymous().GetAsync(path)).Expect(HttpStatusCode.Unauthorized, "unauthenticated");
        foreach (var role in new[] { "integration", "supervisor", "coach", "agent" })
        {
            await (await api.As("u-ops", [role]).GetAsync(path)).Expect(HttpStatusCode.Forbidden, "forbidden");
        }

        var response = await api.Admin().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_are_in_Prometheus_text_format_with_request_and_runtime_meters()
    {
        await api.Admin().GetAsync("/v1/coaching-areas");
        var response = await api.Admin().GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections", text, StringComparison.Ordinal);
    }
}

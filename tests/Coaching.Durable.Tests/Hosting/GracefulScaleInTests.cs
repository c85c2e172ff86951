using System.Net;
using Coaching.Testing;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Coaching.Durable.Tests.Hosting;

/// <summary>Removing a silo the polite way (stop, as on SIGTERM) while clients keep working loses no request.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GracefulScaleInTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Stopping_one_of_two_silos_under_load_fails_no_request()
    {
        var database = await postgres.CreateDatabaseAsync("scale_in");
        var silos = new List<IHost>
        {
            await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "scale-in")),
            await SiloUnderTest.StartSiloAsync(SiloUnderTest.DurableConfiguration(database, "scale-in")),
        };
        var clientSettings = SiloUnderTest.DurableConfiguration(database, "scale-in");
        clientSettings["Coaching:Mode"] = "Client";
        // One admin drives the whole load.
        RequestBudget.Lift(clientSettings);
        await using var api = new CoachingApi(clientSettings);
        try
        {
            var admin = api.Admin();
            using var stop = new CancellationTokenSource();
            var failures = new List<string>();
            var done = 0L;

            async Task Work(int worker)
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var id = $"si-{worker}-{i % 200}";
                    var status = await Send(() => admin.PutJson($"/v1/users/{id}", new { displayName = $"User {i}" }));
                    var read = await Send(() => admin.GetAsync($"/v1/users/{id}"));
                    if (status != HttpStatusCode.OK || read != HttpStatusCode.OK)
                    {
                        lock (failures)
                        {
                            failures.Add($"{id}: put {(int)status}, get {(int)read}");
                        }
                    }

                    Interlocked.Add(ref done, 2);
                }
            }

            var workers = Enumerable.Range(0, 8).Select(w => Task.Run(() => Work(w))).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(3));
            var beforeStop = Interlocked.Read(ref done);
            await SiloUnderTest.StopAsync(silos[1]);
            silos.RemoveAt(1);
            await Task.Delay(TimeSpan.FromSeconds(3));
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            output.WriteLine($"{Interlocked.Read(ref done)} requests, {beforeStop} before the stop, {failures.Count} failed");
            Assert.True(Interlocked.Read(ref done) > beforeStop + 50, "load did not continue after the stop");
            Assert.True(failures.Count == 0, string.Join("; ", failures.Take(10)));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await SiloUnderTest.StopAsync(silo);
            }
        }
    }

    // The client retries on transport errors only; any HTTP answer counts as given.
    private static async Task<HttpStatusCode> Send(Func<Task<HttpResponseMessage>> request)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await request();
                return response.StatusCode;
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                await Task.Delay(100);
            }
        }
    }
}

using Coaching.Durable.Tests.Grains;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Coaching.Durable.Tests;

[Collection(RestartingPostgresCollection.Name)]
public sealed class ReminderDurabilityTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_reminder_registered_before_a_full_restart_fires_after_it()
    {
        var database = await postgres.CreateDatabaseAsync("reminder_restart");
        var settings = SiloUnderTest.DurableConfiguration(database, "reminders");

        var first = await SiloUnderTest.StartSiloAsync(settings);
        // Due late enough that it cannot fire before the first silo is gone and early enough to keep the test short;
        // the period (above the lowered minimum) only matters if the one-shot fails to unregister.
        await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlarmGrain>("assessment-7")
            .Arm(dueIn: TimeSpan.FromSeconds(15), period: TimeSpan.FromMinutes(1));
        var armed = await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlarmGrain>("assessment-7").Read();
        await SiloUnderTest.StopAsync(first);

        Assert.Equal(0, armed.Rings);
        Assert.Equal(1L, await CountRemindersAsync(database));
        var firstTick = await FirstTickAsync(database);
        Assert.InRange(firstTick, armed.ArmedAt!.Value.AddSeconds(10), armed.ArmedAt.Value.AddSeconds(16));

        var second = await SiloUnderTest.StartSiloAsync(settings);
        try
        {
            var alarm = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlarmGrain>("assessment-7");
            var rang = await SiloUnderTest.EventuallyAsync(async () => (await alarm.Read()).Rings > 0, TimeSpan.FromSeconds(60));

            Assert.True(rang, "the reminder did not fire after the restart");
            var state = await alarm.Read();
            Assert.Equal(1, state.Rings);
            Assert.True(state.LastRangAt >= armed.ArmedAt!.Value.AddSeconds(14), $"rang at {state.LastRangAt}, armed at {armed.ArmedAt}");
            Assert.True(await SiloUnderTest.EventuallyAsync(async () => await CountRemindersAsync(database) == 0, TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await SiloUnderTest.StopAsync(second);
        }
    }

    private static async Task<DateTimeOffset> FirstTickAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT start_time FROM orleans_reminder", connection);
        return new DateTimeOffset((DateTime)(await read.ExecuteScalarAsync())!);
    }

    private static async Task<long> CountRemindersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orleans_reminder", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}


namespace Coaching.Durable.Tests.Grains;

[GenerateSerializer, Alias("Coaching.Durable.Tests.AlarmState")]
public sealed class AlarmState
{
    [Id(0)] public int Rings { get; set; }

    [Id(1)] public DateTimeOffset? ArmedAt { get; set; }

    [Id(2)] public DateTimeOffset? LastRangAt { get; set; }
}

[Alias("Coaching.Durable.Tests.IAlarmGrain")]
public interface IAlarmGrain : IGrainWithStringKey
{
    [Alias("Arm")]
    Task Arm(TimeSpan dueIn, TimeSpan period);

    [Alias("Read")]
    Task<AlarmState> Read();
}

/// <summary>A one-shot durable deadline: rings once, records it, then unregisters itself.</summary>
public sealed class AlarmGrain(
    [PersistentState("alarm", StorageNames.Coaching)] IPersistentState<AlarmState> alarm) : Grain, IAlarmGrain, IRemindable
{
    public const string ReminderName = "ring";

    public async Task Arm(TimeSpan dueIn, TimeSpan period)
    {
        await this.RegisterOrUpdateReminder(ReminderName, dueIn, period);
        alarm.State.ArmedAt = DateTimeOffset.UtcNow;
        await alarm.WriteStateAsync();
    }

    public Task<AlarmState> Read() => Task.FromResult(alarm.State);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        alarm.State.Rings++;
        alarm.State.LastRangAt = DateTimeOffset.UtcNow;
        await alarm.WriteStateAsync();
        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Reminders;

namespace Coaching.Testing;

/// <summary>
/// Real time plus a shift the test moves on, for hosts whose timing rules a test drives without waiting: "the time
/// has passed" is a shift, not a sleep. Timers stay real (the base <see cref="TimeProvider"/>'s), so a reminder whose
/// due time the shift has passed rings at once, as it would on a host started that much later.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long shiftTicks;

    public TimeSpan Shift => TimeSpan.FromTicks(Interlocked.Read(ref shiftTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;

    /// <summary>Moves this clock <paramref name="by"/> ahead of real time (on top of any earlier shift).</summary>
    public void MoveOn(TimeSpan by) => Interlocked.Add(ref shiftTicks, by.Ticks);

    /// <summary>
    /// Makes this the host's clock for what grains see: the registered <see cref="TimeProvider"/> the grains take, and
    /// the clocks Orleans drives grain timers and reminders with. Orleans' own background loops (membership, messaging,
    /// activation collection) stay on real time.
    /// </summary>
    public void Install(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<TimeProvider>(this);
        services.AddKeyedSingleton<TimeProvider>(KeyedService.AnyKey, System);
        services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, this);
        services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, this);
    }
}

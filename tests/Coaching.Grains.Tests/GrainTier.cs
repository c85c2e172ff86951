using Coaching.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Reminders;
using Orleans.TestingHost;

namespace Coaching.Grains.Tests;

/// <summary>
/// One in-process silo set up by the product's own <see cref="CoachingSiloHosting.UseCoachingSilo"/> (in-memory mode:
/// memory grain storage, in-memory reminders and stores), with one change: time. The silo's registered
/// <see cref="TimeProvider"/> is a <see cref="FakeTimeProvider"/>, which is what the grains take in their
/// constructors, what Orleans drives grain timers with (its <c>Orleans.Grains</c> clock resolves the registered
/// provider) and, pinned here, what the reminder service schedules ticks with. Orleans' own background loops
/// (membership, messaging, activation collection) stay on real time, so advancing the clock runs only the due work a
/// test is about. A test advances <see cref="Clock"/> and then waits, bounded, for the tick it caused to be handled
/// (<see cref="Calls"/>); nothing sleeps.
/// </summary>
public sealed class GrainTier : IAsyncLifetime
{
    /// <summary>The reminder period the silo allows (production's default is a minute; shorter only speeds up retries).</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private InProcessTestCluster? cluster;

    /// <summary>A Monday morning in the past: no rule cares about the real date.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    /// <summary>Every grain call the silo handled, in order; tests wait on it instead of sleeping.</summary>
    public CallLog Calls { get; } = new();

    /// <summary>Grains made to refuse their calls, as if they were unreachable.</summary>
    public Outages Outages { get; } = new();

    public InProcessTestCluster Cluster => cluster ?? throw new InvalidOperationException("The tier has not started.");

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The silo's reminder table (in memory), to see which reminders a grain holds.</summary>
    public IReminderTable Reminders => Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            // In-memory mode, as the product runs without a connection string.
            [$"{CoachingDashboardOptions.Section}:{nameof(CoachingDashboardOptions.Enabled)}"] = "false",
            [$"{CoachingReminderOptions.Section}:{nameof(CoachingReminderOptions.MinimumPeriod)}"] = ReminderPeriod.ToString(),
        };
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(settings));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseCoachingSilo();

            // The grains' clock, and so their grain timers' (Orleans.Grains resolves the registered provider)...
            silo.Services.AddSingleton<TimeProvider>(Clock);
            // ...while Orleans' own loops keep real time...
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            // ...except the reminder service, whose ticks are the due work under test.
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, Clock);
            // The reminder service keeps a local timer only for ticks inside its loading window and loads the others
            // on a periodic table read; a tick that read finds already due waits a further millisecond of the fake
            // clock, i.e. for the next advance. A window longer than any test's jump arms every reminder's timer
            // when it is registered, so one advance past its due time is enough to ring it.
            silo.Services.PostConfigure<ReminderOptions>(options =>
            {
                options.ReminderLoadingWindow = TimeSpan.FromDays(400);
                options.RefreshReminderListPeriod = TimeSpan.FromDays(400);
            });

            silo.Services.AddSingleton(Calls);
            silo.Services.AddSingleton(Outages);
            silo.AddIncomingGrainCallFilter<TierFilter>();
        });

        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    /// <summary>Moves the silo's clock on; timers and reminders that come due run (asynchronously) as it passes them.</summary>
    public void Advance(TimeSpan by) => Clock.Advance(by);

    /// <summary>The names of the reminders <paramref name="grain"/> holds now.</summary>
    public async Task<string[]> RemindersOf(IAddressable grain)
    {
        var rows = await Reminders.ReadRows(grain.GetGrainId());
        return [.. rows.Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal)];
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GrainTierCollection : ICollectionFixture<GrainTier>
{
    public const string Name = "grain tier";
}

using Microsoft.Extensions.Logging;

namespace Coaching.Silo;

/// <summary>Says once, at start-up, that nothing this silo holds survives a stop.</summary>
internal sealed class InMemoryStateNotice(ILogger<InMemoryStateNotice> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(InMemoryStateNotice), ServiceLifecycleStage.First, _ =>
        {
            logger.LogWarning("No ConnectionStrings:Coaching configured: clustering, grain state and reminders are in memory and are lost when the process stops");
            return Task.CompletedTask;
        });
}

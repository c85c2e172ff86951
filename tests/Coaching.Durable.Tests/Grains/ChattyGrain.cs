using Microsoft.Extensions.Logging;

namespace Coaching.Durable.Tests.Grains;

[Alias("Coaching.Durable.Tests.IChattyGrain")]
public interface IChattyGrain : IGrainWithStringKey
{
    [Alias("Say")]
    Task Say(string text);
}

/// <summary>Logs what it is told, so tests can see what a log line written inside a grain call carries.</summary>
public sealed class ChattyGrain(ILogger<ChattyGrain> logger) : Grain, IChattyGrain
{
    public Task Say(string text)
    {
        logger.LogWarning("Told {Text}", text);
        return Task.CompletedTask;
    }
}

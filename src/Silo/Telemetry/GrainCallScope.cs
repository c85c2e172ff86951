using Microsoft.Extensions.Logging;

namespace Coaching.Silo.Telemetry;

/// <summary>
/// Opens a log scope for every grain call with the grain's id (its type and key: the trainee, assessment,
/// opportunity, session or user it stands for) and the method, so every line logged while serving the call
/// says what it concerns. Ids only: names and e-mail addresses never reach a scope.
/// </summary>
public sealed class GrainCallScope(ILogger<GrainCallScope> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        using (logger.BeginScope(new Scope(context.TargetId.ToString(), context.MethodName)))
        {
            await context.Invoke();
        }
    }

    private sealed class Scope(string grain, string method) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("Grain", grain),
            1 => new("GrainMethod", method),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{grain}.{method}";
    }
}

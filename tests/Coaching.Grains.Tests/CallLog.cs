namespace Coaching.Grains.Tests;

/// <summary>One grain call the silo handled: to which interface and grain, which method, its first argument, and whether it succeeded.</summary>
public sealed record HandledCall(long Sequence, Type Interface, string Method, string GrainKey, object? FirstArgument, bool Succeeded);

/// <summary>
/// The grain calls the silo handled, recorded by <see cref="TierFilter"/> as each one finishes. A test takes a
/// <see cref="Mark"/>, causes something (advances the clock), and waits for the call that proves it was handled: a
/// reminder tick, a retried delivery. The wait ends the moment that call finishes; its bound only turns a rule that
/// never acts into a failure instead of a hang.
/// </summary>
public sealed class CallLog
{
    /// <summary>Generous for a loaded machine; a passing test never waits it out.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private readonly List<HandledCall> calls = [];
    private readonly List<(long After, Func<HandledCall, bool> Match, TaskCompletionSource<HandledCall> Found)> waiters = [];

    /// <summary>The sequence number of the last call recorded so far.</summary>
    public long Mark()
    {
        lock (gate)
        {
            return calls.Count;
        }
    }

    internal void Record(Type @interface, string method, string grainKey, object? firstArgument, bool succeeded)
    {
        List<(HandledCall, TaskCompletionSource<HandledCall>)> found = [];
        lock (gate)
        {
            var call = new HandledCall(calls.Count + 1, @interface, method, grainKey, firstArgument, succeeded);
            calls.Add(call);
            foreach (var waiter in waiters.Where(w => call.Sequence > w.After && w.Match(call)).ToList())
            {
                waiters.Remove(waiter);
                found.Add((call, waiter.Found));
            }
        }

        foreach (var (call, tcs) in found)
        {
            tcs.TrySetResult(call);
        }
    }

    /// <summary>The calls after <paramref name="mark"/> that match.</summary>
    public IReadOnlyList<HandledCall> Since(long mark, Func<HandledCall, bool> match)
    {
        lock (gate)
        {
            return [.. calls.Skip((int)mark).Where(match)];
        }
    }

    /// <summary>The first call after <paramref name="mark"/> that matches, as soon as it has finished.</summary>
    public Task<HandledCall> After(long mark, Func<HandledCall, bool> match, string what)
    {
        TaskCompletionSource<HandledCall> found = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (calls.Skip((int)mark).FirstOrDefault(match) is { } done)
            {
                return Task.FromResult(done);
            }

            waiters.Add((mark, match, found));
        }

        return Bounded(found.Task, what);
    }

    private static async Task<HandledCall> Bounded(Task<HandledCall> call, string what)
    {
        try
        {
            return await call.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"Not within {Bound}: {what}");
        }
    }
}

/// <summary>Grains made unreachable: a call to one is refused before it reaches the grain, as a lost silo would refuse it.</summary>
public sealed class Outages
{
    private readonly Lock gate = new();
    private readonly HashSet<(Type, string)> down = [];

    public void Down<TGrain>(string key) where TGrain : IAddressable
    {
        lock (gate)
        {
            down.Add((typeof(TGrain), key));
        }
    }

    public void Up<TGrain>(string key) where TGrain : IAddressable
    {
        lock (gate)
        {
            down.Remove((typeof(TGrain), key));
        }
    }

    internal bool IsDown(Type @interface, string key)
    {
        lock (gate)
        {
            return down.Contains((@interface, key));
        }
    }
}

/// <summary>The silo's incoming call filter for the tier: refuses calls to grains that are down, and records every call handled.</summary>
internal sealed class TierFilter(CallLog calls, Outages outages) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var @interface = context.Request.GetInterfaceType();
        var method = context.Request.GetMethodName();
        var key = context.TargetId.Key.ToString();
        var first = context.Request.GetArgumentCount() > 0 ? context.Request.GetArgument(0) : null;
        var succeeded = false;
        try
        {
            if (outages.IsDown(@interface, key))
            {
                throw new OrleansException($"{@interface.Name} {key} is unreachable (test outage).");
            }

            await context.Invoke();
            succeeded = true;
        }
        finally
        {
            calls.Record(@interface, method, key, first, succeeded);
        }
    }
}

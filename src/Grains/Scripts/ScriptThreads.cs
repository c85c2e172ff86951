using System.Collections.Concurrent;

namespace Coaching.Scripts;

/// <summary>
/// The threads capture scripts run on: a small fixed set created with a large stack (reserved, committed only as
/// touched), never the caller's (Orleans scheduler / thread pool) thread, whose 1.5 MiB stack a deep native
/// recursion in the engine would overflow, and a stack overflow ends the process.
/// </summary>
/// <remarks>
/// The caller waits with a hard deadline. A run that overruns it (a loop inside one built-in call that no check
/// reaches) gets a time-limit error at once; its thread is retired, finishes that run in the background and ends,
/// and a fresh thread takes its place, up to <see cref="CaptureScriptLimits.MaxStuckThreads"/> retired threads at
/// a time. Work waits in a bounded queue; when it is full, or every thread is stuck, a run fails fast with an error
/// result instead of blocking the caller.
/// </remarks>
internal sealed class ScriptThreads
{
    private static readonly ConcurrentDictionary<(int Stack, int Threads, int Queue, int Stuck), ScriptThreads> Pools = new();

    private readonly BlockingCollection<Work> queue;
    private readonly int stackSize;
    private readonly int maxStuck;
    private readonly Lock gate = new();
    private int stuck;
    private int owed;

    private ScriptThreads(int stackSize, int threads, int queue, int maxStuck)
    {
        this.stackSize = stackSize;
        this.maxStuck = maxStuck;
        this.queue = new BlockingCollection<Work>(queue);
        for (var i = 0; i < threads; i++)
        {
            Start();
        }
    }

    /// <summary>The shared threads for these limits (one set per distinct stack size, thread count and queue length).</summary>
    public static ScriptThreads For(CaptureScriptLimits limits) =>
        Pools.GetOrAdd((limits.StackSize, limits.Threads, limits.MaxQueuedRuns, limits.MaxStuckThreads), key => new ScriptThreads(key.Stack, key.Threads, key.Queue, key.Stuck));

    /// <summary>Runs <paramref name="run"/> on a script thread; <c>null</c> when it did not finish by <paramref name="deadline"/>, <paramref name="refused"/> when it could not be queued.</summary>
    public T? Run<T>(Func<T> run, TimeSpan deadline, out bool refused)
        where T : class
    {
        var work = new Work(() => run());
        refused = !queue.TryAdd(work);
        if (refused)
        {
            return null;
        }

        if (work.Done.Wait(deadline))
        {
            return (T?)work.Result;
        }

        var previous = Interlocked.CompareExchange(ref work.State, Work.Abandoned, Work.Queued);
        if (previous == Work.Running && Interlocked.CompareExchange(ref work.State, Work.Abandoned, Work.Running) == Work.Running)
        {
            Retire();
        }

        return work.State == Work.Finished ? (T?)work.Result : null;
    }

    private void Retire()
    {
        lock (gate)
        {
            stuck++;
            if (stuck <= maxStuck)
            {
                Start();
            }
            else
            {
                owed++;
            }
        }
    }

    private void Start()
    {
        var thread = new Thread(Serve, stackSize) { IsBackground = true, Name = "capture-script" };
        thread.Start();
    }

    private void Serve()
    {
        foreach (var work in queue.GetConsumingEnumerable())
        {
            if (Interlocked.CompareExchange(ref work.State, Work.Running, Work.Queued) != Work.Queued)
            {
                continue; // the caller gave up while it was queued
            }

            var result = work.Run();
            work.Result = result;
            if (Interlocked.CompareExchange(ref work.State, Work.Finished, Work.Running) == Work.Running)
            {
                work.Done.Set();
                continue;
            }

            // The caller gave up on this run and started a replacement: this thread ends, unless the replacement
            // was owed because too many threads were stuck.
            lock (gate)
            {
                stuck--;
                if (owed == 0)
                {
                    return;
                }

                owed--;
            }
        }
    }

    private sealed class Work(Func<object> run)
    {
        public const int Queued = 0;
        public const int Running = 1;
        public const int Finished = 2;
        public const int Abandoned = 3;

        public int State;

        public ManualResetEventSlim Done { get; } = new();

        public object? Result { get; set; }

        public object Run() => run();
    }
}

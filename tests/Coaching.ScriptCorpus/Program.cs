using System.Diagnostics;
using System.Text.Json;
using Coaching.ScriptCorpus;
using Coaching.Scripts;
using Jint;

// Runs the hostile-script corpus through the capture-script sandbox in its own process, so that a script that
// crashes the process (a stack overflow cannot be caught) fails the calling test instead of killing its runner.
// Prints one JSON line per script, then a summary line. With "--unprotected <name>" it runs that script on a plain
// Jint engine on a 1 MiB stack, without the sandbox, to show that the harness sees a crash.
if (args is ["--unprotected", var unprotected])
{
    var source = HostileScripts.All.Single(s => s.Name == unprotected).Source;
    var thread = new Thread(() => new Engine(o => o.Strict()).Evaluate("(function () { " + source + "\n})()"), 1024 * 1024);
    thread.Start();
    thread.Join();
    Console.WriteLine("survived");
    return 0;
}

var current = new Dictionary<string, string?> { ["assigned_to"] = "u-17", ["priority"] = "2" };
if (args is ["--cost"])
{
    // The cost of a typical run: as the caller sees it (thread hop included) and on the script thread.
    var typical = CaptureScript.Compile("return { reassigned: previous.assigned_to + ' -> ' + current.assigned_to, p: Number(current.priority) + 1 };").Script!;
    CaptureScriptRun last = null!;
    for (var i = 0; i < 200; i++)
    {
        last = typical.RunMeasured(current, new Dictionary<string, string?> { ["assigned_to"] = "u-42" }, ["assigned_to"]);
    }

    var onThread = TimeSpan.Zero;
    var caller = Stopwatch.StartNew();
    for (var i = 0; i < 1000; i++)
    {
        onThread += typical.RunMeasured(current, new Dictionary<string, string?> { ["assigned_to"] = "u-42" }, ["assigned_to"]).Elapsed;
    }

    Console.WriteLine(JsonSerializer.Serialize(new { callerMicroseconds = caller.Elapsed.TotalMicroseconds / 1000, threadMicroseconds = onThread.TotalMicroseconds / 1000, bytes = last.AllocatedBytes }));
    return 0;
}

var previous = new Dictionary<string, string?> { ["assigned_to"] = "u-42" };
var filter = args.Length > 0 ? args[0] : null;

// The first runs of a process compile the engine's code paths; the figures below are for a warm process.
foreach (var warmUp in new[] { "return { a: [1, 2].join() + JSON.stringify({ b: /x/g.test('x') }) };", "return { d: new Date(0).toLocaleString() + (1.5).toLocaleString() };" })
{
    CaptureScript.Compile(warmUp).Script!.Run(current, previous, ["assigned_to"]);
}

var count = 0;
foreach (var (name, source) in HostileScripts.All.Where(s => filter is null || s.Name.Contains(filter, StringComparison.Ordinal)))
{
    var compilation = CaptureScript.Compile(source);
    if (!compilation.Succeeded)
    {
        Console.WriteLine(JsonSerializer.Serialize(new CorpusLine(name, 0, 0, false, "refused at save: " + compilation.Error)));
        count++;
        continue;
    }

    var clock = Stopwatch.StartNew();
    var run = compilation.Script.RunMeasured(current, previous, ["assigned_to"]);
    clock.Stop();
    var value = run.Result.Succeeded ? string.Join(", ", run.Result.Values.Select(p => p.Key + "=" + Shorten(p.Value))) : null;
    Console.WriteLine(JsonSerializer.Serialize(new CorpusLine(name, clock.Elapsed.TotalMilliseconds, run.AllocatedBytes, run.Result.Succeeded, run.Result.Error ?? value)));
    count++;
}

Console.WriteLine(JsonSerializer.Serialize(new { done = count }));
return 0;

static string? Shorten(string? text) => text is { Length: > 60 } ? text[..60] + "..." : text;

internal sealed record CorpusLine(string Name, double Ms, long Bytes, bool Ok, string? Outcome);

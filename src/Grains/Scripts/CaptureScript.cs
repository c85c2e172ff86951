using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Runtime;

namespace Coaching.Scripts;

/// <summary>Sandbox limits for capture scripts. Bind from configuration (e.g. <c>Coaching:CaptureScript</c>).</summary>
public sealed record CaptureScriptLimits
{
    public static CaptureScriptLimits Default { get; } = new();

    /// <summary>Wall time for one run (also the regex timeout). The caller waits at most twice this (see <see cref="ScriptThreads"/>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>JavaScript statements one run may execute.</summary>
    public int MaxStatements { get; init; } = 10_000;

    /// <summary>Bytes one run may allocate (Jint measures allocations of the running thread).</summary>
    public long MaxMemoryBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Nested JavaScript calls, guarded built-ins included (a nested array converted to text counts one per level).</summary>
    public int MaxRecursion { get; init; } = 64;

    /// <summary>Elements of one array.</summary>
    public uint MaxArraySize { get; init; } = 10_000;

    /// <summary>Characters of a string one built-in call may build (repeat, padStart, join, replace, ...), refused before the call.</summary>
    public int MaxStringLength { get; init; } = 1024 * 1024;

    /// <summary>Characters of a regular expression pattern built from text at run time (<c>new RegExp(text)</c>, <c>match(text)</c>).</summary>
    public int MaxPatternLength { get; init; } = 10_000;

    /// <summary>Nesting of JSON.parse input and of Array.prototype.flat, both native recursions.</summary>
    public int MaxJsonDepth { get; init; } = 64;

    /// <summary>
    /// Stack of a script thread. Reserved, committed only as used; big enough for the native recursions that are
    /// bounded only by the memory budget (a 40,000-deep array built in a loop, JSON.stringify of it).
    /// </summary>
    public int StackSize { get; init; } = 256 * 1024 * 1024;

    /// <summary>Script threads (<see cref="ScriptThreads"/>).</summary>
    public int Threads { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Runs waiting for a script thread; past it a run fails at once.</summary>
    public int MaxQueuedRuns { get; init; } = 256;

    /// <summary>Retired threads still finishing an overrun at a time; past it no replacement starts until one ends.</summary>
    public int MaxStuckThreads { get; init; } = 4;

    /// <summary>Characters of the script source, checked at save.</summary>
    public int MaxSourceLength { get; init; } = 16 * 1024;

    /// <summary>Properties of the returned object.</summary>
    public int MaxResultProperties { get; init; } = 100;

    /// <summary>Characters of one returned value (after conversion to text).</summary>
    public int MaxValueLength { get; init; } = 8 * 1024;
}

/// <summary>The outcome of <see cref="CaptureScript.Compile"/>: a script, or why it was rejected (<c>invalid-script</c>).</summary>
public sealed record CaptureScriptCompilation(CaptureScript? Script, string? Error)
{
    [MemberNotNullWhen(true, nameof(Script))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Script is not null;
}

/// <summary>
/// The outcome of one run: values to add to the snapshot, or the error to record on the assessment.
/// Values use the same text representation as event fields (see <c>FieldText</c>).
/// </summary>
public sealed record CaptureScriptResult(IReadOnlyDictionary<string, string?>? Values, string? Error)
{
    [MemberNotNullWhen(true, nameof(Values))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Values is not null;

    internal static CaptureScriptResult Failed(string error) => new(null, error);
}

/// <summary>One run with what it cost on its script thread (allocated bytes include the engine's own setup).</summary>
internal sealed record CaptureScriptRun(CaptureScriptResult Result, long AllocatedBytes, TimeSpan Elapsed);

/// <summary>
/// A capture script ("Advanced") compiled once at save and run in a Jint sandbox per assessment.
/// </summary>
/// <remarks>
/// <para>Shape: the source is the <em>body of a function</em> <c>(current, previous, changes)</c> that
/// <c>return</c>s an object, e.g. <c>return { reassigned: previous.assigned_to + ' -> ' + current.assigned_to };</c>.
/// <c>current</c> and <c>previous</c> are frozen objects of field name to text (numbers arrive as strings, as
/// ServiceNow's GlideElement values do; use <c>Number(x)</c>); <c>changes</c> is a frozen array of the names of
/// the fields that changed. Returning nothing (<c>undefined</c>/<c>null</c>) adds nothing. Each returned property
/// becomes a snapshot value: strings as they are, numbers/booleans as text, null/undefined as null, objects and
/// arrays as JSON text. The code runs in strict mode.</para>
/// <para>Sandbox: a fresh engine per run (so nothing a script does to globals or prototypes survives it), no CLR
/// access, no <c>eval</c>/<c>Function</c> from strings, no modules, no host objects, hence no files or network;
/// limits on wall time, statements, allocated memory, recursion and array size. Every failure, including a limit
/// hit, comes back as an error result: <see cref="Run(IReadOnlyDictionary{string, string}, IReadOnlyDictionary{string, string}, IReadOnlyCollection{string})"/>
/// never throws for anything a script does. The returned object is read inside the sandbox too, so getters,
/// proxies and <c>toJSON</c> on it run under the same limits.</para>
/// <para>Where it runs and what it costs: on a script thread with a 256 MiB stack (<see cref="ScriptThreads"/>),
/// the caller waiting at most twice the time limit; the engine's built-ins that could recurse, loop or build a large
/// value in one call pass a checkpoint first (<see cref="GuardedBuiltIns"/>). Parsing happens once in
/// <see cref="Compile"/>; a run creates one engine and its guards (about 0.3 MB and 1 ms on a loaded 2-core machine,
/// three to four times a bare engine: most of it is wrapping some 250 built-ins) and
/// executes the prepared script.</para>
/// </remarks>
public sealed class CaptureScript
{
    // On the same line as the user's first line so error positions match what the admin wrote.
    private const string FunctionPrefix = "(function (current, previous, changes) { 'use strict'; ";
    private const string FunctionSuffix = "\n})";

    // Runs the user function and flattens its result to [name, text, name, text, ...] inside the sandbox. The
    // intrinsics are captured as arguments, i.e. before any user code runs, so a script that overwrites
    // Object or JSON only breaks its own result.
    private const string Driver = """
        (function (freeze, keys, isArray, stringify, toText, fn, current, previous, changes) {
          var result = fn(freeze(current), freeze(previous), freeze(changes));
          if (result === undefined || result === null) { return []; }
          if (typeof result !== 'object' || isArray(result)) {
            throw new TypeError('the capture script must return an object, e.g. return { name: value };');
          }
          var names = keys(result);
          var out = [];
          for (var i = 0; i < names.length; i++) {
            var value = result[names[i]];
            var type = typeof value;
            var text = value === undefined || value === null ? null
              : type === 'string' ? value
              : type === 'number' || type === 'boolean' || type === 'bigint' ? toText(value)
              : stringify(value);
            out[out.length] = names[i];
            out[out.length] = text === undefined ? null : text;
          }
          return out;
        })(Object.freeze, Object.keys, Array.isArray, JSON.stringify, String, __capture, __current, __previous, __changes);
        """;

    private static readonly Lock WarmUpGate = new();
    private static bool warmedUp;

    private readonly Prepared<Script> prepared;

    private CaptureScript(string source, Prepared<Script> prepared, CaptureScriptLimits limits)
    {
        Source = source;
        this.prepared = prepared;
        Limits = limits;
    }

    public string Source { get; }

    public CaptureScriptLimits Limits { get; }

    /// <summary>Checks and prepares a script at save time. Never throws for bad source.</summary>
    public static CaptureScriptCompilation Compile(string source, CaptureScriptLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        limits ??= CaptureScriptLimits.Default;
        if (string.IsNullOrWhiteSpace(source))
        {
            return new(null, "The script is empty.");
        }

        if (source.Length > limits.MaxSourceLength)
        {
            return new(null, string.Create(CultureInfo.InvariantCulture, $"The script is longer than {limits.MaxSourceLength} characters."));
        }

        var function = FunctionPrefix + source + FunctionSuffix;
        try
        {
            // The source must be exactly one function body: text like "}); doSomething(); (function () {" would
            // otherwise escape the function (harmlessly, it is still sandboxed, but it is not what we document).
            var shape = new Parser(new ParserOptions { AllowReturnOutsideFunction = false }).ParseScript(function, strict: true);
            if (shape.Body is not [ExpressionStatement { Expression: FunctionExpression }])
            {
                return new(null, "The script must be the body of a function: statements ending in 'return { ... };'.");
            }

            var prepared = Engine.PrepareScript("'use strict'; var __capture = " + function + ";\n" + Driver, strict: true);
            return new(new CaptureScript(source, prepared, limits), null);
        }
        catch (ParseErrorException e)
        {
            return new(null, "Syntax error: " + e.Message);
        }
        catch (Exception e) when (e is InsufficientExecutionStackException or ScriptPreparationException)
        {
            // Nesting too deep for the parser on this thread, or past Jint's own nesting limit.
            return new(null, "The script nests expressions too deeply.");
        }
    }

    /// <summary>Runs the script for an event whose fields changed as given.</summary>
    public CaptureScriptResult Run(Coaching.Moments.EventFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Run(fields.Current.ToDictionary(), fields.Previous.ToDictionary(), fields.ChangedFields());
    }

    /// <summary>Runs the script. Never throws for anything the script does; errors and limit hits are results.</summary>
    /// <remarks>Runs on a script thread (<see cref="ScriptThreads"/>); the caller waits at most twice the time limit.</remarks>
    public CaptureScriptResult Run(
        IReadOnlyDictionary<string, string?> current,
        IReadOnlyDictionary<string, string?> previous,
        IReadOnlyCollection<string> changes) =>
        RunMeasured(current, previous, changes).Result;

    /// <summary><see cref="Run(IReadOnlyDictionary{string, string}, IReadOnlyDictionary{string, string}, IReadOnlyCollection{string})"/> with what the run cost on its thread.</summary>
    internal CaptureScriptRun RunMeasured(
        IReadOnlyDictionary<string, string?> current,
        IReadOnlyDictionary<string, string?> previous,
        IReadOnlyCollection<string> changes)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(changes);
        var threads = ScriptThreads.For(Limits);
        WarmUp(threads);
        var started = Stopwatch.GetTimestamp();
        var run = threads.Run(() => RunHere(current, previous, changes), 2 * Limits.Timeout, out var refused);
        return run ?? new CaptureScriptRun(
            CaptureScriptResult.Failed(refused ? "Script not run: too many scripts waiting for a script thread." : TimeError(Limits)),
            AllocatedBytes: 0,
            Stopwatch.GetElapsedTime(started));
    }

    // The first run in a process compiles the engine's code paths (hundreds of milliseconds): done once, before
    // any run is held to its deadline.
    private static void WarmUp(ScriptThreads threads)
    {
        if (Volatile.Read(ref warmedUp))
        {
            return;
        }

        lock (WarmUpGate)
        {
            if (!warmedUp)
            {
                var script = Compile("var a = [1, 'x', [2]]; return { s: String(a) + a.join('-') + 'x'.repeat(2).replace(/x/gi, 'y'), j: { a: a }, n: Number(current.n) + changes.length, d: new Date(0).toISOString() };").Script!;
                threads.Run(() => script.RunHere(new Dictionary<string, string?> { ["n"] = "1" }, new Dictionary<string, string?>(), ["n"]), TimeSpan.FromSeconds(30), out _);
                Volatile.Write(ref warmedUp, true);
            }
        }
    }

    private CaptureScriptRun RunHere(
        IReadOnlyDictionary<string, string?> current,
        IReadOnlyDictionary<string, string?> previous,
        IReadOnlyCollection<string> changes)
    {
        var started = Stopwatch.GetTimestamp();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var result = Execute(current, previous, changes, started);
        return new CaptureScriptRun(result, GC.GetAllocatedBytesForCurrentThread() - allocated, Stopwatch.GetElapsedTime(started));
    }

    private CaptureScriptResult Execute(
        IReadOnlyDictionary<string, string?> current,
        IReadOnlyDictionary<string, string?> previous,
        IReadOnlyCollection<string> changes,
        long started)
    {
        try
        {
            using var engine = new Engine(Configure);
            GuardedBuiltIns.Install(engine, Limits, started);
            engine.SetValue("__current", ToObject(engine, current));
            engine.SetValue("__previous", ToObject(engine, previous));
            engine.SetValue("__changes", new JsArray(engine, changes.Select(c => (JsValue)new JsString(c)).ToArray()));
            var result = engine.Evaluate(prepared);
            return ReadResult(result);
        }
        catch (JavaScriptException e)
        {
            return CaptureScriptResult.Failed("Script error: " + e.Message + Location(e.Location));
        }
        catch (CaptureScriptLimitException e)
        {
            return CaptureScriptResult.Failed(e.Message);
        }
        catch (StatementsCountOverflowException)
        {
            return CaptureScriptResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Script stopped: more than {Limits.MaxStatements} statements."));
        }
        catch (MemoryLimitExceededException)
        {
            return CaptureScriptResult.Failed(MemoryError(Limits));
        }
        catch (RecursionDepthOverflowException)
        {
            return CaptureScriptResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Script stopped: calls nested deeper than {Limits.MaxRecursion}."));
        }
        catch (TimeoutException)
        {
            return CaptureScriptResult.Failed(TimeError(Limits));
        }
        catch (Exception e)
        {
            // The sandbox boundary: whatever else the engine throws (regex timeout, an engine bug, ...) is the
            // script's failure, recorded on the assessment, never the caller's.
            return CaptureScriptResult.Failed(Stopwatch.GetElapsedTime(started) > Limits.Timeout ? TimeError(Limits) : "Script failed: " + e.Message);
        }
    }

    internal static string TimeError(CaptureScriptLimits limits) =>
        string.Create(CultureInfo.InvariantCulture, $"Script stopped: ran longer than {limits.Timeout.TotalMilliseconds} ms.");

    internal static string MemoryError(CaptureScriptLimits limits) =>
        string.Create(CultureInfo.InvariantCulture, $"Script stopped: allocated more than {limits.MaxMemoryBytes} bytes.");

    private void Configure(Options options)
    {
        options.Strict();
        options.TimeoutInterval(Limits.Timeout);
        options.MaxStatements(Limits.MaxStatements);
        // Jint measures between statements, and one statement of operators alone (`s = `${s}${s}``, `s + s`) can
        // allocate about as much again as everything before it: checking at half the budget keeps that last step
        // near the budget instead of at twice it (the guarded built-ins check the whole budget before they run).
        options.LimitMemory(Limits.MaxMemoryBytes / 2);
        options.LimitRecursion(Limits.MaxRecursion);
        options.Constraints.MaxArraySize = Limits.MaxArraySize;
        options.Constraints.RegexTimeout = Limits.Timeout;
        options.DisableStringCompilation();
        options.Json.MaxParseDepth = Limits.MaxJsonDepth;
    }

    private static JsObject ToObject(Engine engine, IReadOnlyDictionary<string, string?> values) =>
        JsObject.CreateFromEntries(engine, values.Select(p => new KeyValuePair<string, JsValue>(p.Key, p.Value is null ? JsValue.Null : new JsString(p.Value))));

    private CaptureScriptResult ReadResult(JsValue result)
    {
        if (result is not JsArray array)
        {
            return CaptureScriptResult.Failed("Script failed: unexpected result.");
        }

        var length = (int)array.Length;
        if (length / 2 > Limits.MaxResultProperties)
        {
            return CaptureScriptResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Script returned more than {Limits.MaxResultProperties} properties."));
        }

        var values = new Dictionary<string, string?>(length / 2, StringComparer.Ordinal);
        for (uint i = 0; i + 1 < (uint)length; i += 2)
        {
            var name = array[i].AsString();
            var value = array[i + 1];
            var text = value.IsNull() || value.IsUndefined() ? null : value.AsString();
            if (text is { Length: var n } && n > Limits.MaxValueLength)
            {
                return CaptureScriptResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Script returned a value longer than {Limits.MaxValueLength} characters for '{name}'."));
            }

            values[name] = text;
        }

        return new CaptureScriptResult(values, null);
    }

    private static string Location(in SourceLocation location) =>
        location.Start.Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $" (line {location.Start.Line}, column {location.Start.Column})")
            : string.Empty;
}

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

    /// <summary>Wall time for one run (also the regex timeout).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>JavaScript statements one run may execute.</summary>
    public int MaxStatements { get; init; } = 10_000;

    /// <summary>Bytes one run may allocate (Jint measures allocations of the running thread).</summary>
    public long MaxMemoryBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Nested JavaScript calls.</summary>
    public int MaxRecursion { get; init; } = 64;

    /// <summary>Elements of one array.</summary>
    public uint MaxArraySize { get; init; } = 10_000;

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
/// <para>Cost: parsing happens once in <see cref="Compile"/>; a run creates one engine (tens of microseconds) and
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

    // Jint checks the memory limit between statements, so one native call that builds a huge string at once
    // ('x'.repeat(1 << 28)) would allocate it all before being stopped. These wrappers refuse such sizes up front.
    // They are installed before user code runs and call the originals through bound functions, so a script
    // that overwrites Function.prototype.call cannot bypass them.
    private const string Prelude = """
        (function (proto, max, define, bindCall) {
          var repeat = bindCall(proto.repeat), padStart = bindCall(proto.padStart), padEnd = bindCall(proto.padEnd);
          function tooLong() { throw new RangeError('string longer than the capture script limit'); }
          define(proto, 'repeat', { value: function repeat_(count) { var n = +count; if (n * ('' + this).length > max) { tooLong(); } return repeat(this, count); }, writable: true, configurable: true });
          define(proto, 'padStart', { value: function padStart_(length, fill) { if (+length > max) { tooLong(); } return padStart(this, length, fill); }, writable: true, configurable: true });
          define(proto, 'padEnd', { value: function padEnd_(length, fill) { if (+length > max) { tooLong(); } return padEnd(this, length, fill); }, writable: true, configurable: true });
        })(String.prototype, __maxString, Object.defineProperty, function (f) { return Function.prototype.call.bind(f); });

        """;

    private readonly Prepared<Script> _prepared;

    private CaptureScript(string source, Prepared<Script> prepared, CaptureScriptLimits limits)
    {
        Source = source;
        _prepared = prepared;
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

            var prepared = Engine.PrepareScript("'use strict'; var __capture = " + function + ";\n" + Prelude + Driver, strict: true);
            return new(new CaptureScript(source, prepared, limits), null);
        }
        catch (ParseErrorException e)
        {
            return new(null, "Syntax error: " + e.Message);
        }
    }

    /// <summary>Runs the script for an event whose fields changed as given.</summary>
    public CaptureScriptResult Run(Coaching.Moments.EventFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Run(fields.Current.ToDictionary(), fields.Previous.ToDictionary(), fields.ChangedFields());
    }

    /// <summary>Runs the script. Never throws for anything the script does; errors and limit hits are results.</summary>
    public CaptureScriptResult Run(
        IReadOnlyDictionary<string, string?> current,
        IReadOnlyDictionary<string, string?> previous,
        IReadOnlyCollection<string> changes)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(changes);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var engine = new Engine(Configure);
            engine.SetValue("__current", ToObject(engine, current));
            engine.SetValue("__previous", ToObject(engine, previous));
            engine.SetValue("__maxString", (double)(Limits.MaxMemoryBytes / 4));
            engine.SetValue("__changes", new JsArray(engine, changes.Select(c => (JsValue)new JsString(c)).ToArray()));
            var result = engine.Evaluate(_prepared);
            return ReadResult(result);
        }
        catch (JavaScriptException e)
        {
            return CaptureScriptResult.Failed("Script error: " + e.Message + Location(e.Location));
        }
        catch (StatementsCountOverflowException)
        {
            return CaptureScriptResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Script stopped: more than {Limits.MaxStatements} statements."));
        }
        catch (MemoryLimitExceededException)
        {
            return CaptureScriptResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Script stopped: allocated more than {Limits.MaxMemoryBytes} bytes."));
        }
        catch (RecursionDepthOverflowException)
        {
            return CaptureScriptResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Script stopped: calls nested deeper than {Limits.MaxRecursion}."));
        }
        catch (TimeoutException)
        {
            return CaptureScriptResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Script stopped: ran longer than {Limits.Timeout.TotalMilliseconds} ms."));
        }
        catch (Exception e)
        {
            // The sandbox boundary: whatever else the engine throws (regex timeout, an engine bug, ...) is the
            // script's failure, recorded on the assessment, never the caller's.
            var elapsed = Stopwatch.GetElapsedTime(started);
            return CaptureScriptResult.Failed(elapsed > Limits.Timeout
                ? string.Create(CultureInfo.InvariantCulture, $"Script stopped: ran longer than {Limits.Timeout.TotalMilliseconds} ms.")
                : "Script failed: " + e.Message);
        }
    }

    private void Configure(Options options)
    {
        options.Strict();
        options.TimeoutInterval(Limits.Timeout);
        options.MaxStatements(Limits.MaxStatements);
        options.LimitMemory(Limits.MaxMemoryBytes);
        options.LimitRecursion(Limits.MaxRecursion);
        options.Constraints.MaxArraySize = Limits.MaxArraySize;
        options.Constraints.RegexTimeout = Limits.Timeout;
        options.DisableStringCompilation();
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

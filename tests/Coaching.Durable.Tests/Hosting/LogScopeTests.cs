using System.Collections.Concurrent;
using Coaching.Durable.Tests.Grains;
using Coaching.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coaching.Durable.Tests.Hosting;

public sealed class LogScopeTests
{
    [Fact]
    public async Task A_line_logged_inside_a_grain_call_carries_the_grain_id_and_method_as_scope()
    {
        var lines = new ConcurrentQueue<(string Message, Dictionary<string, object?> Scope)>();
        var settings = new Dictionary<string, string?>
        {
            ["Coaching:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Coaching:Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var silo = await SiloUnderTest.StartSiloAsync(settings, services =>
            services.AddSingleton<ILoggerProvider>(new CapturingLogs(lines)));
        try
        {
            await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IChattyGrain>("u-17").Say("hello");

            var (message, scope) = Assert.Single(lines, l => l.Message == "Told hello");
            Assert.Equal("chatty/u-17", scope["Grain"]);
            Assert.Equal("Say", scope["GrainMethod"]);
        }
        finally
        {
            await SiloUnderTest.StopAsync(silo);
        }
    }

    private sealed class CapturingLogs(ConcurrentQueue<(string, Dictionary<string, object?>)> lines) : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string, Dictionary<string, object?>)> Lines => lines;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
                owner.scopes.ForEachScope((value, into) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, item) in pairs)
                        {
                            into[key] = item;
                        }
                    }
                }, scope);
                owner.Lines.Enqueue((formatter(state, exception), scope));
            }
        }
    }
}

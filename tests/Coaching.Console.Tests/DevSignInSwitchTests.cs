using System.Collections.Concurrent;
using System.Net;
using Coaching.Api.Web;
using Coaching.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Coaching.Console.Tests;

/// <summary>The development sign-in is off outside Development unless configured, and says so loudly when it is on.</summary>
public sealed class DevSignInSwitchTests
{
    [Fact]
    public async Task Outside_Development_the_development_sign_in_is_off_by_default()
    {
        var logs = new CapturedLogs();
        await using var api = new LoggedApi(logs, new Dictionary<string, string?>());
        using var client = NoRedirects(api);

        var page = await client.GetStringAsync(ConsoleAuth.SignInPath);
        Assert.DoesNotContain("<form", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("name=\"User\"", page, StringComparison.Ordinal);
        Assert.Contains("No sign-in is configured", page, StringComparison.Ordinal);

        using var form = new FormUrlEncodedContent([new("User", "coach-ana"), new("Roles", "coach")]);
        var posted = await client.PostAsync(ConsoleAuth.SignInPath, form);
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.DoesNotContain(posted.Headers, h => h.Key == "Set-Cookie");

        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("development sign-in is on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Turned_on_outside_Development_it_works_and_a_warning_is_logged_at_start()
    {
        var logs = new CapturedLogs();
        await using var api = new LoggedApi(logs, new Dictionary<string, string?> { ["Coaching:Console:DevSignIn"] = "true" });
        using var client = NoRedirects(api);

        var page = await client.GetStringAsync(ConsoleAuth.SignInPath);
        Assert.Contains("name=\"User\"", page, StringComparison.Ordinal);

        var warning = Assert.Single(logs.Entries, e => e.Message.Contains("development sign-in is on", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Testing", warning.Message, StringComparison.Ordinal);
    }

    private static HttpClient NoRedirects(CoachingApi api)
    {
        var address = api.CreateClient().BaseAddress!;
        return new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
    }

    /// <summary>The real host (environment "Testing") with its logs also going to <see cref="CapturedLogs"/>.</summary>
    private sealed class LoggedApi(CapturedLogs logs, Dictionary<string, string?> extra) : CoachingApi(extra)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        }
    }

    public sealed record LogEntry(string Category, LogLevel Level, string Message);

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs sink, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    sink.Entries.Enqueue(new(category, logLevel, formatter(state, exception)));
                }
            }
        }
    }
}

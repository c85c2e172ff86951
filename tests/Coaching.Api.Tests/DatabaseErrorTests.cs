using Coaching.Api.Errors;
using Coaching.Silo.Storage;
using Npgsql;

namespace Coaching.Api.Tests;

/// <summary>
/// Which database failures are worth a retry: only transient ones answer 503 with Retry-After; data the server refuses
/// fails the same way every time, so it is a logged 500 (the text rule keeps a client's bad text out before that).
/// </summary>
public sealed class DatabaseErrorTests
{
    // SQLSTATE, kind, HTTP status
    public static TheoryData<string, DatabaseErrorKind, int> States => new()
    {
        { "08006", DatabaseErrorKind.Transient, 503 }, // connection_failure
        { "08001", DatabaseErrorKind.Transient, 503 }, // sqlclient_unable_to_establish_sqlconnection
        { "40001", DatabaseErrorKind.Transient, 503 }, // serialization_failure
        { "40P01", DatabaseErrorKind.Transient, 503 }, // deadlock_detected
        { "53300", DatabaseErrorKind.Transient, 503 }, // too_many_connections
        { "57P01", DatabaseErrorKind.Transient, 503 }, // admin_shutdown
        { "57P03", DatabaseErrorKind.Transient, 503 }, // cannot_connect_now
        { "22021", DatabaseErrorKind.Data, 500 }, // character_not_in_repertoire (a NUL in text)
        { "22P05", DatabaseErrorKind.Data, 500 }, // untranslatable_character (\u0000 in jsonb)
        { "22001", DatabaseErrorKind.Data, 500 }, // string_data_right_truncation
        { "23505", DatabaseErrorKind.Data, 500 }, // unique_violation
        { "23502", DatabaseErrorKind.Data, 500 }, // not_null_violation
        { "42P01", DatabaseErrorKind.Fault, 500 }, // undefined_table
        { "42601", DatabaseErrorKind.Fault, 500 }, // syntax_error
    };

    [Theory]
    [MemberData(nameof(States))]
    public void Each_SQLSTATE_has_one_kind_and_one_answer(string sqlState, DatabaseErrorKind kind, int status)
    {
        var error = new PostgresException("refused", "ERROR", "ERROR", sqlState);

        Assert.Equal(kind, DatabaseErrors.Classify(error));
        Assert.Equal(status, ClientErrorHandler.Answer(error).Status);
        // Wrapped as a grain call or a storage bridge wraps it: the same answer.
        Assert.Equal(kind, DatabaseErrors.Classify(new OrleansException("call failed", new InvalidOperationException("storage", error))));
        Assert.Equal(status, ClientErrorHandler.Answer(new OrleansException("call failed", error)).Status);
    }

    [Fact]
    public void Lost_connections_and_timeouts_are_transient_other_failures_are_not()
    {
        Assert.Equal(DatabaseErrorKind.Transient, DatabaseErrors.Classify(new NpgsqlException("reading", new IOException("reset"))));
        Assert.Equal(DatabaseErrorKind.Transient, DatabaseErrors.Classify(new NpgsqlException("timeout", new TimeoutException())));
        Assert.Equal(DatabaseErrorKind.Fault, DatabaseErrors.Classify(new NpgsqlException("misuse")));
        Assert.Null(DatabaseErrors.Classify(new InvalidOperationException("no database here")));

        Assert.Equal(503, ClientErrorHandler.Answer(new OrleansException("cluster")).Status);
        Assert.Equal(503, ClientErrorHandler.Answer(new TimeoutException()).Status);
        // What a silo sends when storage refused the data (ReloadAfterFailure): not an Orleans exception, so no retry.
        Assert.Equal(500, ClientErrorHandler.Answer(new InvalidOperationException("Storage refused the call (Data): 22021")).Status);
    }
}

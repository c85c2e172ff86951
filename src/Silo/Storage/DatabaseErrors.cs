using System.Data.Common;

namespace Coaching.Silo.Storage;

/// <summary>What a failed database call means for the request that made it.</summary>
public enum DatabaseErrorKind
{
    /// <summary>The server or the way to it is briefly unable (connection lost, too many clients, shutdown,
    /// serialization failure, deadlock): the same request may succeed shortly, so 503 with <c>Retry-After</c>.</summary>
    Transient,

    /// <summary>The server refused the data itself (SQLSTATE class 22 data exception, 23 integrity violation):
    /// the same request fails the same way every time, so it is never retried.</summary>
    Data,

    /// <summary>Anything else (a syntax error, a missing table, a driver misuse): a bug, never retried.</summary>
    Fault,
}

/// <summary>
/// The one classification of database failures, used wherever one is turned into an answer or a retry: only
/// <see cref="DatabaseErrorKind.Transient"/> ones are worth repeating. Mapping every database error to "try again"
/// made a request the server can never store (a NUL in a text column) answer 503 forever.
/// </summary>
public static class DatabaseErrors
{
    /// <summary>SQLSTATEs worth a retry besides connection exceptions (class 08).</summary>
    private static readonly HashSet<string> TransientStates = new(StringComparer.Ordinal)
    {
        "40001", // serialization_failure
        "40P01", // deadlock_detected
        "53300", // too_many_connections
        "57P01", // admin_shutdown
        "57P02", // crash_shutdown
        "57P03", // cannot_connect_now
    };

    /// <summary>
    /// The kind of the first database exception in <paramref name="exception"/> or its inner exceptions (grain calls and
    /// storage bridges wrap them); null when no database was involved.
    /// </summary>
    public static DatabaseErrorKind? Classify(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException db)
            {
                return Classify(db);
            }
        }

        return null;
    }

    private static DatabaseErrorKind Classify(DbException db) => db.SqlState switch
    {
        { Length: 5 } state when state.StartsWith("08", StringComparison.Ordinal) || TransientStates.Contains(state) => DatabaseErrorKind.Transient,
        { Length: 5 } state when state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal) => DatabaseErrorKind.Data,
        { Length: 5 } => DatabaseErrorKind.Fault,
        // No SQLSTATE: the driver's own failure; Npgsql marks lost connections, I/O errors and timeouts transient.
        _ => db.IsTransient ? DatabaseErrorKind.Transient : DatabaseErrorKind.Fault,
    };
}

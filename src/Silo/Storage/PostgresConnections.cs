using Npgsql;

namespace Coaching.Silo.Storage;

public static class PostgresConnections
{
    /// <summary>
    /// The connection string with Npgsql's session reset turned off: a connection goes back to the pool as it is,
    /// which spares the server one more transaction per use. Only for pools whose statements leave no session state
    /// behind (no SET, LISTEN, temporary tables or session locks): the batcher's, and the Orleans ADO.NET providers'.
    /// </summary>
    public static string WithoutSessionReset(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
}

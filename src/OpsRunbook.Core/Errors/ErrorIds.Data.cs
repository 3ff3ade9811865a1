namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Data area.</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId DbAuthenticationFailed = new(nameof(DbAuthenticationFailed), OpsErrorCategory.AuthenticationError,
        "PostgreSQL refused the user name or password.");
    public static readonly OpsErrorId DbConnectFailed = new(nameof(DbConnectFailed), OpsErrorCategory.ConnectionError,
        "PostgreSQL could not be reached (refused, unknown host, TLS).");
    public static readonly OpsErrorId DbConnectTimeout = new(nameof(DbConnectTimeout), OpsErrorCategory.OperationTimeout,
        "PostgreSQL did not answer the connection within postgres.connectTimeoutSeconds.");
    public static readonly OpsErrorId DbDatabaseNotFound = new(nameof(DbDatabaseNotFound), OpsErrorCategory.ObjectNotFound,
        "The database named in the config or -Database does not exist.");
    public static readonly OpsErrorId DbError = new(nameof(DbError), OpsErrorCategory.InvalidOperation,
        "PostgreSQL answered a statement with an error; the message carries its SQLSTATE.");
    public static readonly OpsErrorId DbTooManyConnections = new(nameof(DbTooManyConnections), OpsErrorCategory.ResourceUnavailable,
        "PostgreSQL has no free connection slot (connect as a superuser to use the reserved ones).");
    public static readonly OpsErrorId RedisAuthenticationFailed = new(nameof(RedisAuthenticationFailed), OpsErrorCategory.AuthenticationError,
        "Redis refused the password.");
    public static readonly OpsErrorId RedisConnectFailed = new(nameof(RedisConnectFailed), OpsErrorCategory.ConnectionError,
        "Redis could not be reached.");
    public static readonly OpsErrorId RedisConnectTimeout = new(nameof(RedisConnectTimeout), OpsErrorCategory.OperationTimeout,
        "Redis did not answer within the connect timeout.");
    public static readonly OpsErrorId DbLockTimeout = new(nameof(DbLockTimeout), OpsErrorCategory.OperationTimeout,
        "A statement waited longer than postgres.lockTimeoutSeconds for a lock; the message names the relation and the blocking session.");
    public static readonly OpsErrorId DbStatementTimeout = new(nameof(DbStatementTimeout), OpsErrorCategory.OperationTimeout,
        "A statement ran longer than postgres.statementTimeoutSeconds (or the command timeout).");
}

namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Postgres area.</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId DbMaintenanceFailed = new(nameof(DbMaintenanceFailed), OpsErrorCategory.InvalidOperation,
        "A maintenance statement (ANALYZE, REINDEX, VACUUM) failed.");
    public static readonly OpsErrorId DbMaintenanceLockTimeout = new(nameof(DbMaintenanceLockTimeout), OpsErrorCategory.OperationTimeout,
        "A maintenance statement waited longer than maintenance.lockTimeoutSeconds for a lock.");
    public static readonly OpsErrorId DbMaintenanceStatementTimeout = new(nameof(DbMaintenanceStatementTimeout), OpsErrorCategory.OperationTimeout,
        "A maintenance statement ran longer than maintenance.statementTimeoutSeconds.");
    public static readonly OpsErrorId DbNotATable = new(nameof(DbNotATable), OpsErrorCategory.InvalidArgument,
        "The name given is not an existing table (names are looked up in the catalog, never pasted into SQL).");
    public static readonly OpsErrorId PgStatStatementsNotInstalled = new(nameof(PgStatStatementsNotInstalled), OpsErrorCategory.NotInstalled,
        "The pg_stat_statements extension is not created in the database.");
    public static readonly OpsErrorId PgStatStatementsNotPreloaded = new(nameof(PgStatStatementsNotPreloaded), OpsErrorCategory.NotInstalled,
        "pg_stat_statements is not in shared_preload_libraries, so it cannot answer.");
    public static readonly OpsErrorId DbTableNotFound = new(nameof(DbTableNotFound), OpsErrorCategory.ObjectNotFound,
        "The table named does not exist (or is not visible to the user).");
    public static readonly OpsErrorId PgServerInvalid = new(nameof(PgServerInvalid), OpsErrorCategory.InvalidArgument,
        "-Server is not host, host:port or [IPv6 address]:port.");
    public static readonly OpsErrorId PgstattupleNotInstalled = new(nameof(PgstattupleNotInstalled), OpsErrorCategory.NotInstalled,
        "Get-OpsDbBloat -Exact needs the pgstattuple extension in the database (and a login allowed to use it).");
    public static readonly OpsErrorId DbSystemSchemaRefused = new(nameof(DbSystemSchemaRefused), OpsErrorCategory.PermissionDenied,
        "Invoke-DbMaintenance refuses a system catalog table (pg_catalog, information_schema, pg_toast) without -IncludeSystemSchema.");
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpsRunbook.Core.Backup;

/// <summary>One table's exact row count at dump time.</summary>
public sealed record BackupTableCount(string Schema, string Name, long Rows)
{
    public string QualifiedName => $"{Schema}.{Name}";
    public override string ToString() => $"{QualifiedName}: {Rows}";
}

/// <summary>
/// The manifest written next to every dump. Row counts are taken in the same snapshot pg_dump dumps
/// (pg_export_snapshot in a REPEATABLE READ transaction, pg_dump --snapshot), so they are exact.
/// </summary>
public sealed class BackupManifest
{
    public int FormatVersion { get; set; } = 1;
    public string Database { get; set; } = "";
    public string ServerVersion { get; set; } = "";
    public string PgDumpVersion { get; set; } = "";
    public string DumpFormat { get; set; } = "custom";
    public DateTimeOffset StartTime { get; set; }
    public DateTimeOffset EndTime { get; set; }
    public long SizeBytes { get; set; }
    public string Sha256 { get; set; } = "";
    public string Snapshot { get; set; } = "";
    /// <summary>pg_database_size of the dumped database when the dump started (0 in manifests written before it was recorded):
    /// what a restore of this dump is expected to take on the test server's disk.</summary>
    public long DatabaseSizeBytes { get; set; }
    public List<BackupTableCount> Tables { get; set; } = new();

    [JsonIgnore] public long TotalRows => Tables.Sum(t => t.Rows);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static BackupManifest FromJson(string json) =>
        JsonSerializer.Deserialize<BackupManifest>(json, Options) ?? throw new JsonException("The manifest is empty.");

    public override string ToString() => $"{Database} {StartTime:u} {SizeBytes} bytes, {Tables.Count} tables";
}

using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.State;

namespace OpsRunbook.Core.Operations;

public enum IncidentSeverity { SEV1, SEV2, SEV3, SEV4 }

/// <summary>In the only order an incident may move: never back (a Resolved incident is not Investigating again).</summary>
public enum IncidentStatus { Investigating, Identified, Monitoring, Resolved }

/// <summary>One step of the runbook's Incident Commander Checklist, ticked or not.</summary>
public sealed class IncidentStep
{
    /// <summary>Phase.Step, e.g. Assess.Severity.</summary>
    public string Id { get; init; } = "";
    public string Phase { get; init; } = "";
    public string Text { get; init; } = "";
    public DateTimeOffset? TickedAt { get; init; }
    public string? TickedBy { get; init; }
    public bool Done => TickedAt is not null;
    public override string ToString() => $"[{(Done ? "x" : " ")}] {Id}";
}

/// <summary>One entry of an incident's timeline: a note (with evidence), a status change or a ticked step.</summary>
public sealed class IncidentEvent
{
    public long Id { get; init; }
    public DateTimeOffset Time { get; init; }
    /// <summary>note, status, step or opened.</summary>
    public string Kind { get; init; } = "";
    public string Author { get; init; } = "";
    public string Text { get; init; } = "";
    /// <summary>Attached pipeline objects as JSON (an array of rows), or null.</summary>
    public string? Evidence { get; init; }
    public int EvidenceCount { get; init; }
    public override string ToString() => $"{Time:u} {Kind}: {Text}";
}

/// <summary>An incident as the state store keeps it.</summary>
public sealed class Incident
{
    public long Id { get; init; }
    public string Environment { get; init; } = "";
    public string Title { get; init; } = "";
    public IncidentSeverity Severity { get; init; }
    public IncidentStatus Status { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public string OpenedBy { get; init; } = "";
    public DateTimeOffset? IdentifiedAt { get; init; }
    public DateTimeOffset? MonitoringAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    /// <summary>Open until resolved; then from opened to resolved.</summary>
    public TimeSpan Duration => (ResolvedAt ?? DateTimeOffset.UtcNow) - OpenedAt;
    public double DurationMs => Math.Round(Duration.TotalMilliseconds);
    public string Summary { get; init; } = "";
    public string RootCause { get; init; } = "";
    public string Resolution { get; init; } = "";
    public IReadOnlyList<string> ActionItems { get; init; } = [];
    public IReadOnlyList<IncidentStep> Checklist { get; init; } = [];
    public IReadOnlyList<IncidentEvent> Timeline { get; init; } = [];
    /// <summary>Checklist steps ticked, of 15.</summary>
    public int StepsDone => Checklist.Count(s => s.Done);
    public override string ToString() => $"#{Id} {Severity} {Status}: {Title}";
}

/// <summary>The incidents' tables in the state store.</summary>
public sealed class IncidentsStateArea : IStateArea
{
    public string Name => "incidents";
    public IReadOnlyList<string> Tables { get; } = ["incidents", "incidents_events", "incidents_steps"];
    public IReadOnlyList<StateMigration> Migrations { get; } =
    [
        new(1, "incidents, timeline, checklist", """
            CREATE TABLE IF NOT EXISTS incidents (
                id {{identity}},
                environment TEXT NOT NULL,
                title TEXT NOT NULL,
                severity TEXT NOT NULL,
                status TEXT NOT NULL,
                opened_at BIGINT NOT NULL,
                opened_by TEXT NOT NULL,
                identified_at BIGINT,
                monitoring_at BIGINT,
                resolved_at BIGINT,
                summary TEXT NOT NULL DEFAULT '',
                root_cause TEXT NOT NULL DEFAULT '',
                resolution TEXT NOT NULL DEFAULT '',
                action_items TEXT NOT NULL DEFAULT '[]');
            CREATE INDEX IF NOT EXISTS incidents_env ON incidents (environment, status);
            CREATE TABLE IF NOT EXISTS incidents_events (
                id {{identity}},
                incident_id BIGINT NOT NULL,
                at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                author TEXT NOT NULL,
                text TEXT NOT NULL,
                evidence TEXT,
                evidence_count BIGINT NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS incidents_events_incident ON incidents_events (incident_id, at);
            CREATE TABLE IF NOT EXISTS incidents_steps (
                incident_id BIGINT NOT NULL,
                step TEXT NOT NULL,
                ticked_at BIGINT NOT NULL,
                ticked_by TEXT NOT NULL,
                PRIMARY KEY (incident_id, step));
            """),
    ];
}

/// <summary>What Set-OpsIncident changes; null leaves a field as it is.</summary>
public sealed class IncidentChange
{
    public IncidentStatus? Status { get; init; }
    public IReadOnlyList<string> Steps { get; init; } = [];
    public string? Summary { get; init; }
    public string? RootCause { get; init; }
    public string? Resolution { get; init; }
    public IReadOnlyList<string> ActionItems { get; init; } = [];
    public string? User { get; init; }
}

/// <summary>The Incident Commander Checklist in the state store: open, note (with evidence), move through statuses in order, tick steps, report.</summary>
public static class Incidents
{
    /// <summary>The runbook's five phases and fifteen steps.</summary>
    public static readonly IReadOnlyList<(string Id, string Text)> Checklist =
    [
        ("Assess.Severity", "Determine severity"), ("Assess.AffectedSystems", "Identify affected systems"), ("Assess.UserImpact", "Estimate user impact"),
        ("Communicate.StatusPage", "Update status page"), ("Communicate.NotifyTeam", "Notify team members"), ("Communicate.IncidentChannel", "Start incident channel/call"),
        ("Mitigate.ImmediateFix", "Apply immediate fixes"), ("Mitigate.ScaleResources", "Scale resources if needed"), ("Mitigate.CircuitBreakers", "Enable circuit breakers"),
        ("Resolve.PermanentFix", "Implement permanent fix"), ("Resolve.VerifyResolution", "Verify resolution"), ("Resolve.MonitorRecurrence", "Monitor for recurrence"),
        ("Document.IncidentReport", "Create incident report"), ("Document.PostMortem", "Schedule post-mortem"), ("Document.UpdateRunbooks", "Update runbooks"),
    ];

    private const string Columns = "id, environment, title, severity, status, opened_at, opened_by, identified_at, monitoring_at, resolved_at, summary, root_cause, resolution, action_items";

    private static string Me(string? user) => Maintenance.Me(user);

    public static async Task<Incident> NewAsync(EnvironmentConfig env, string title, IncidentSeverity severity, string? summary, string? user, CancellationToken ct)
    {
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var id = await store.WriteAsync(async tx =>
        {
            var newId = await tx.ScalarAsync<long>("""
                INSERT INTO incidents (environment, title, severity, status, opened_at, opened_by, summary)
                VALUES (@env, @title, @sev, @status, @at, @by, @summary) RETURNING id
                """, ("env", env.Name), ("title", title), ("sev", severity), ("status", IncidentStatus.Investigating), ("at", now), ("by", Me(user)), ("summary", summary ?? "")).ConfigureAwait(false);
            await AddEventAsync(tx, newId, now, "opened", Me(user), $"Opened as {severity}: {title}", null, 0).ConfigureAwait(false);
            return newId;
        }, ct).ConfigureAwait(false);
        return await LoadAsync(store, env, id, ct).ConfigureAwait(false);
    }

    private static Task<int> AddEventAsync(StateTransaction tx, long id, DateTimeOffset at, string kind, string author, string text, string? evidence, int count) =>
        tx.ExecuteAsync("INSERT INTO incidents_events (incident_id, at, kind, author, text, evidence, evidence_count) VALUES (@id, @at, @kind, @by, @text, @ev, @n)",
            ("id", id), ("at", at), ("kind", kind), ("by", author), ("text", text), ("ev", evidence), ("n", (long)count));

    /// <summary>The incident with this id, or the most recent open one of the environment when id is null.</summary>
    public static async Task<long> ResolveIdAsync(IStateStore store, EnvironmentConfig env, long? id, CancellationToken ct)
    {
        if (id is { } given)
        {
            var n = await store.ReadAsync(tx => tx.ScalarAsync<long>("SELECT count(*) FROM incidents WHERE id = @id AND environment = @env", ("id", given), ("env", env.Name)), ct).ConfigureAwait(false);
            if (n == 0) throw new OpsException(ErrorIds.IncidentNotFound, $"Environment '{env.Name}' has no incident #{given}.", given, "Get-OpsIncident -All lists them.");
            return given;
        }
        var open = await store.ReadAsync(tx => tx.ScalarAsync<long?>("SELECT max(id) FROM incidents WHERE environment = @env AND status <> @resolved",
            ("env", env.Name), ("resolved", IncidentStatus.Resolved)), ct).ConfigureAwait(false);
        return open ?? throw new OpsException(ErrorIds.IncidentNotFound, $"Environment '{env.Name}' has no open incident.", env.Name,
            "Open one with New-OpsIncident, or name one with -Id.");
    }

    public static async Task<Incident> AddNoteAsync(EnvironmentConfig env, long? id, string text, string? evidenceJson, int evidenceCount, string? user, CancellationToken ct)
    {
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        var incident = await ResolveIdAsync(store, env, id, ct).ConfigureAwait(false);
        await store.WriteAsync(tx => AddEventAsync(tx, incident, DateTimeOffset.UtcNow, "note", Me(user), text, evidenceJson, evidenceCount), ct).ConfigureAwait(false);
        return await LoadAsync(store, env, incident, ct).ConfigureAwait(false);
    }

    public static async Task<Incident> SetAsync(EnvironmentConfig env, long? id, IncidentChange c, CancellationToken ct)
    {
        foreach (var s in c.Steps)
            if (!Checklist.Any(x => x.Id.Equals(s, StringComparison.OrdinalIgnoreCase)))
                throw new OpsException(ErrorIds.IncidentStepUnknown, $"'{s}' is not a step of the Incident Commander Checklist. Steps: {string.Join(", ", Checklist.Select(x => x.Id))}.", s);
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        var incidentId = await ResolveIdAsync(store, env, id, ct).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        await store.WriteAsync(async tx =>
        {
            await tx.LockAsync("incident:" + incidentId).ConfigureAwait(false);
            var current = (await tx.QueryAsync($"SELECT {Columns} FROM incidents WHERE id = @id", ReadIncident, ("id", incidentId)).ConfigureAwait(false))[0];
            if (c.Status is { } to && to != current.Status)
            {
                if (to < current.Status)
                    throw new OpsException(ErrorIds.IncidentStatusOrder, $"Incident #{incidentId} is {current.Status}: it cannot go back to {to}. The order is {string.Join(" -> ", Enum.GetNames<IncidentStatus>())}.",
                        incidentId, "Open a new incident (New-OpsIncident) if the problem is back.");
                var column = to switch { IncidentStatus.Identified => "identified_at", IncidentStatus.Monitoring => "monitoring_at", _ => "resolved_at" };
                await tx.ExecuteAsync($"UPDATE incidents SET status = @s, {column} = @at WHERE id = @id", ("s", to), ("at", now), ("id", incidentId)).ConfigureAwait(false);
                await AddEventAsync(tx, incidentId, now, "status", Me(c.User), $"{current.Status} -> {to}", null, 0).ConfigureAwait(false);
            }
            foreach (var s in c.Steps)
            {
                var step = Checklist.First(x => x.Id.Equals(s, StringComparison.OrdinalIgnoreCase));
                var n = await tx.ExecuteAsync("INSERT INTO incidents_steps (incident_id, step, ticked_at, ticked_by) VALUES (@id, @step, @at, @by) ON CONFLICT (incident_id, step) DO NOTHING",
                    ("id", incidentId), ("step", step.Id), ("at", now), ("by", Me(c.User))).ConfigureAwait(false);
                if (n == 1) await AddEventAsync(tx, incidentId, now, "step", Me(c.User), $"{step.Id}: {step.Text}", null, 0).ConfigureAwait(false);
            }
            if (c.Summary is not null) await tx.ExecuteAsync("UPDATE incidents SET summary = @v WHERE id = @id", ("v", c.Summary), ("id", incidentId)).ConfigureAwait(false);
            if (c.RootCause is not null) await tx.ExecuteAsync("UPDATE incidents SET root_cause = @v WHERE id = @id", ("v", c.RootCause), ("id", incidentId)).ConfigureAwait(false);
            if (c.Resolution is not null) await tx.ExecuteAsync("UPDATE incidents SET resolution = @v WHERE id = @id", ("v", c.Resolution), ("id", incidentId)).ConfigureAwait(false);
            if (c.ActionItems.Count > 0)
                await tx.ExecuteAsync("UPDATE incidents SET action_items = @v WHERE id = @id", ("v", JsonSerializer.Serialize(current.ActionItems.Concat(c.ActionItems).ToList())), ("id", incidentId)).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);
        return await LoadAsync(store, env, incidentId, ct).ConfigureAwait(false);
    }

    public static async Task<IReadOnlyList<Incident>> ListAsync(EnvironmentConfig env, long? id, bool all, CancellationToken ct)
    {
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        if (id is not null) return [await LoadAsync(store, env, await ResolveIdAsync(store, env, id, ct).ConfigureAwait(false), ct).ConfigureAwait(false)];
        var ids = await store.ReadAsync(tx => tx.QueryAsync("SELECT id FROM incidents WHERE environment = @env" + (all ? "" : " AND status <> @resolved") + " ORDER BY id DESC",
            r => Convert.ToInt64(r.GetValue(0)), ("env", env.Name), ("resolved", IncidentStatus.Resolved)), ct).ConfigureAwait(false);
        var list = new List<Incident>();
        foreach (var i in ids) list.Add(await LoadAsync(store, env, i, ct).ConfigureAwait(false));
        return list;
    }

    private static Incident ReadIncident(DbDataReader r) => new()
    {
        Id = Convert.ToInt64(r.GetValue(0)), Environment = r.GetString(1), Title = r.GetString(2), Severity = Enum.Parse<IncidentSeverity>(r.GetString(3)),
        Status = Enum.Parse<IncidentStatus>(r.GetString(4)), OpenedAt = T(r, 5)!.Value, OpenedBy = r.GetString(6), IdentifiedAt = T(r, 7), MonitoringAt = T(r, 8), ResolvedAt = T(r, 9),
        Summary = r.GetString(10), RootCause = r.GetString(11), Resolution = r.GetString(12), ActionItems = JsonSerializer.Deserialize<List<string>>(r.GetString(13)) ?? [],
    };

    private static DateTimeOffset? T(DbDataReader r, int i) => r.IsDBNull(i) ? null : StateTime.FromUnixMs(Convert.ToInt64(r.GetValue(i)));

    private static async Task<Incident> LoadAsync(IStateStore store, EnvironmentConfig env, long id, CancellationToken ct) => await store.ReadAsync(async tx =>
    {
        var i = (await tx.QueryAsync($"SELECT {Columns} FROM incidents WHERE id = @id", ReadIncident, ("id", id)).ConfigureAwait(false))[0];
        var ticks = await tx.QueryAsync("SELECT step, ticked_at, ticked_by FROM incidents_steps WHERE incident_id = @id", r => (Step: r.GetString(0), At: T(r, 1), By: r.GetString(2)), ("id", id)).ConfigureAwait(false);
        var events = await tx.QueryAsync("SELECT id, at, kind, author, text, evidence, evidence_count FROM incidents_events WHERE incident_id = @id ORDER BY at, id", r => new IncidentEvent
        {
            Id = Convert.ToInt64(r.GetValue(0)), Time = T(r, 1)!.Value, Kind = r.GetString(2), Author = r.GetString(3), Text = r.GetString(4),
            Evidence = r.IsDBNull(5) ? null : r.GetString(5), EvidenceCount = Convert.ToInt32(r.GetValue(6)),
        }, ("id", id)).ConfigureAwait(false);
        return new Incident
        {
            Id = i.Id, Environment = i.Environment, Title = i.Title, Severity = i.Severity, Status = i.Status, OpenedAt = i.OpenedAt, OpenedBy = i.OpenedBy,
            IdentifiedAt = i.IdentifiedAt, MonitoringAt = i.MonitoringAt, ResolvedAt = i.ResolvedAt, Summary = i.Summary, RootCause = i.RootCause, Resolution = i.Resolution,
            ActionItems = i.ActionItems, Timeline = events,
            Checklist = Checklist.Select(c =>
            {
                var t = ticks.FirstOrDefault(x => x.Step == c.Id);
                return new IncidentStep { Id = c.Id, Phase = c.Id.Split('.')[0], Text = c.Text, TickedAt = t.At, TickedBy = t.Step is null ? null : t.By };
            }).ToList(),
        };
    }, ct).ConfigureAwait(false);

    // ---- Report --------------------------------------------------------------------------------

    /// <summary>Non-Healthy results recorded in the health history (issue 11's health_results) during the incident, when there are any.</summary>
    public static async Task<(long Count, DateTimeOffset? First, DateTimeOffset? Last, IReadOnlyList<string> Checks)> HealthImpactAsync(EnvironmentConfig env, Incident i, CancellationToken ct)
    {
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        var to = i.ResolvedAt ?? DateTimeOffset.UtcNow;
        var rows = await store.ReadAsync(tx => tx.QueryAsync(
            "SELECT check_name, target, recorded_at FROM health_results WHERE environment = @env AND status <> 'Healthy' AND recorded_at BETWEEN @from AND @to ORDER BY recorded_at",
            r => (Check: $"{r.GetString(0)}/{r.GetString(1)}", At: StateTime.FromUnixMs(Convert.ToInt64(r.GetValue(2)))),
            ("env", env.Name), ("from", i.OpenedAt.AddHours(-1)), ("to", to)), ct).ConfigureAwait(false);
        return rows.Count == 0 ? (0, null, null, []) : (rows.Count, rows[0].At, rows[^1].At, rows.Select(r => r.Check).Distinct().ToList());
    }

    public static string Report(Incident i, (long Count, DateTimeOffset? First, DateTimeOffset? Last, IReadOnlyList<string> Checks) health, string format)
    {
        var md = new StringBuilder();
        string Ts(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z" : "-";
        string Dur(TimeSpan d) => d.TotalHours >= 1 ? $"{(int)d.TotalHours} h {d.Minutes} min" : d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes} min {d.Seconds} s" : $"{d.Seconds} s";
        md.Append($"# Incident #{i.Id}: {i.Title}\n\n");
        md.Append($"- Severity: {i.Severity}\n- Status: {i.Status}\n- Environment: {i.Environment}\n- Opened: {Ts(i.OpenedAt)} by {i.OpenedBy}\n- Identified: {Ts(i.IdentifiedAt)}\n- Monitoring: {Ts(i.MonitoringAt)}\n- Resolved: {Ts(i.ResolvedAt)}\n\n");
        md.Append("## Summary\n\n").Append(i.Summary.Length > 0 ? i.Summary : i.Title).Append("\n\n");
        md.Append("## Impact\n\n").Append($"- Duration: {Dur(i.Duration)} ({Ts(i.OpenedAt)} to {(i.ResolvedAt is null ? "now, still open" : Ts(i.ResolvedAt))})\n");
        if (health.Count > 0)
            md.Append($"- Health history: {health.Count} non-healthy check result(s) from {Ts(health.First)} to {Ts(health.Last)} ({string.Join(", ", health.Checks)}); degraded for {Dur(health.Last!.Value - health.First!.Value)} as recorded\n");
        else md.Append("- Health history: no non-healthy results recorded in the window\n");
        md.Append('\n');
        md.Append("## Timeline\n\n| Time (UTC) | Who | What |\n|---|---|---|\n");
        foreach (var e in i.Timeline)
            md.Append($"| {Ts(e.Time)} | {Cell(e.Author)} | {Cell(e.Kind == "note" ? e.Text : $"[{e.Kind}] {e.Text}")}{(e.EvidenceCount > 0 ? $" ({e.EvidenceCount} evidence row(s))" : "")} |\n");
        md.Append("\n## Root cause\n\n").Append(i.RootCause.Length > 0 ? i.RootCause : "_Not recorded yet._").Append("\n\n");
        md.Append("## Resolution\n\n").Append(i.Resolution.Length > 0 ? i.Resolution : "_Not recorded yet._").Append("\n\n");
        md.Append("## Action items\n\n");
        if (i.ActionItems.Count == 0) md.Append("_None recorded._\n");
        foreach (var a in i.ActionItems) md.Append("- [ ] ").Append(a).Append('\n');
        md.Append("\n## Checklist\n\n");
        foreach (var phase in i.Checklist.GroupBy(s => s.Phase))
        {
            md.Append($"**{phase.Key}**\n\n");
            foreach (var s in phase) md.Append($"- [{(s.Done ? "x" : " ")}] {s.Text} (`{s.Id}`){(s.Done ? $" - {Ts(s.TickedAt)} by {s.TickedBy}" : "")}\n");
            md.Append('\n');
        }
        var text = md.ToString();
        return format.Equals("Html", StringComparison.OrdinalIgnoreCase) ? Html(text, i) : text;
    }

    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\n", " ");

    /// <summary>The Markdown above as a standalone HTML page (headings, lists, the timeline table), every text HTML-encoded.</summary>
    private static string Html(string markdown, Incident i)
    {
        var html = new StringBuilder($"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Incident #{i.Id}: {WebUtility.HtmlEncode(i.Title)}</title></head><body>\n");
        var inList = false; var inTable = false;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (inList && !line.StartsWith("- ", StringComparison.Ordinal)) { html.Append("</ul>\n"); inList = false; }
            if (inTable && !line.StartsWith('|')) { html.Append("</table>\n"); inTable = false; }
            if (line.StartsWith("# ", StringComparison.Ordinal)) html.Append("<h1>").Append(WebUtility.HtmlEncode(line[2..])).Append("</h1>\n");
            else if (line.StartsWith("## ", StringComparison.Ordinal)) html.Append("<h2>").Append(WebUtility.HtmlEncode(line[3..])).Append("</h2>\n");
            else if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                if (!inList) { html.Append("<ul>\n"); inList = true; }
                html.Append("<li>").Append(WebUtility.HtmlEncode(line[2..])).Append("</li>\n");
            }
            else if (line.StartsWith('|'))
            {
                if (line.StartsWith("|---", StringComparison.Ordinal)) continue;
                var cells = line.Trim('|').Split(" | ").Select(c => WebUtility.HtmlEncode(c.Trim().Replace("\\|", "|")));
                var tag = inTable ? "td" : "th";
                if (!inTable) { html.Append("<table border=\"1\">\n"); inTable = true; }
                html.Append("<tr>").Append(string.Concat(cells.Select(c => $"<{tag}>{c}</{tag}>"))).Append("</tr>\n");
            }
            else if (line.Length > 0) html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>\n");
        }
        if (inList) html.Append("</ul>\n");
        if (inTable) html.Append("</table>\n");
        return html.Append("</body></html>\n").ToString();
    }
}

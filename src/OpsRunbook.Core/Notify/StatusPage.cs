using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Hosting;
using OpsRunbook.Core.Net;
using OpsRunbook.Core.Operations;
using OpsRunbook.Core.State;

namespace OpsRunbook.Core.Notify;

/// <summary>A Statuspage component status (API values operational, degraded_performance, partial_outage, major_outage, under_maintenance).</summary>
public enum StatusPageStatus { Operational, DegradedPerformance, PartialOutage, MajorOutage, UnderMaintenance }

/// <summary>One component of the status page as Statuspage returns it.</summary>
public sealed class StatusPageComponent
{
    public string PageId { get; init; } = "";
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public StatusPageStatus Status { get; init; }
    /// <summary>Set-OpsStatusPage: the status before the change (same as Status when nothing changed).</summary>
    public StatusPageStatus? PreviousStatus { get; init; }
    public string? Description { get; init; }
    public string? GroupId { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>Set-OpsStatusPage: the status-page incident the change was posted to, if any.</summary>
    public string? IncidentId { get; init; }
    public override string ToString() => $"{Name}: {Status}";
}

/// <summary>A status-page incident (or scheduled maintenance), with the OpsRunbook incident or maintenance window it is linked to.</summary>
public sealed class StatusPageIncident
{
    public string PageId { get; init; } = "";
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    /// <summary>investigating, identified, monitoring, resolved, postmortem; scheduled, in_progress, verifying, completed.</summary>
    public string Status { get; init; } = "";
    public string Impact { get; init; } = "";
    public string? Shortlink { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public IReadOnlyList<string> Components { get; init; } = [];
    /// <summary>"incident #3" or "maintenance #2" when an OpsRunbook incident or window is linked to it.</summary>
    public string? LinkedTo { get; init; }
    public override string ToString() => $"{Name} ({Status})";
}

/// <summary>The links between OpsRunbook incidents / maintenance windows and status-page incidents.</summary>
public sealed class StatusPageStateArea : IStateArea
{
    public string Name => "statuspage";
    public IReadOnlyList<string> Tables { get; } = ["statuspage_links"];
    public IReadOnlyList<StateMigration> Migrations { get; } =
    [
        new(1, "links from incidents and maintenance windows to status-page incidents", """
            CREATE TABLE IF NOT EXISTS statuspage_links (
                kind TEXT NOT NULL,
                local_id BIGINT NOT NULL,
                environment TEXT NOT NULL,
                page_id TEXT NOT NULL,
                incident_id TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (kind, local_id));
            """),
    ];
}

/// <summary>
/// The platform's Atlassian Statuspage through its REST API (v1): components (GET, PATCH status) and incidents (POST, PATCH),
/// authenticated with "Authorization: OAuth key", every call through OpsHttp bounded by statusPage.timeoutSeconds.
/// An open incident (New-OpsIncident) or maintenance window (Start-OpsMaintenance) is linked to the status-page incident
/// posted for it, so later changes update that one incident and the last one resolves it.
/// </summary>
public static class StatusPage
{
    public static string ApiValue(StatusPageStatus s) => s switch
    {
        StatusPageStatus.Operational => "operational",
        StatusPageStatus.DegradedPerformance => "degraded_performance",
        StatusPageStatus.PartialOutage => "partial_outage",
        StatusPageStatus.MajorOutage => "major_outage",
        _ => "under_maintenance",
    };

    public static StatusPageStatus Parse(string? v) => v switch
    {
        "operational" => StatusPageStatus.Operational,
        "degraded_performance" => StatusPageStatus.DegradedPerformance,
        "partial_outage" => StatusPageStatus.PartialOutage,
        "major_outage" => StatusPageStatus.MajorOutage,
        "under_maintenance" => StatusPageStatus.UnderMaintenance,
        _ => throw new OpsException(ErrorIds.StatusPageFailed, $"Statuspage returned an unknown component status '{v}'.", v),
    };

    /// <summary>The incident status a status-page incident takes from an OpsRunbook incident's status.</summary>
    public static string IncidentStatusFor(IncidentStatus s) => s switch
    {
        IncidentStatus.Investigating => "investigating",
        IncidentStatus.Identified => "identified",
        IncidentStatus.Monitoring => "monitoring",
        _ => "resolved",
    };

    private static StatusPageConfig Config(EnvironmentConfig env) => env.Require(e => e.StatusPage, "statusPage");

    private static HttpCallOptions Options(StatusPageConfig cfg) => new()
    {
        Timeout = TimeSpan.FromSeconds(cfg.TimeoutSeconds), What = "Statuspage API", MaxAttempts = 3,
        TimeoutError = ErrorIds.StatusPageTimeout, UnreachableError = ErrorIds.StatusPageTimeout,
        Fix = "Check statusPage.baseUrl and the network path to it, or raise statusPage.timeoutSeconds.",
    };

    private static HttpAnswerErrors Answers(StatusPageConfig cfg) => new()
    {
        Target = cfg.PageId, Detail = r => Error(r.Body),
        Refused = ErrorIds.StatusPageAuthenticationFailed,
        RefusedFix = "Check statusPage.apiKey (Statuspage > your avatar > API info) and that it may manage page " + cfg.PageId + ".",
        NotFound = ErrorIds.StatusPageNotFound,
        NotFoundFix = "Check statusPage.pageId (the page's id in its Statuspage URL) and that the incident still exists.",
        Failed = ErrorIds.StatusPageFailed,
        FailedFix = "See status.atlassian.com; the call can be repeated (setting a component's status is idempotent).",
    };

    private static async Task<JsonNode?> CallAsync(StatusPageConfig cfg, HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        var url = $"{cfg.EffectiveBaseUrl}/v1/pages/{Uri.EscapeDataString(cfg.PageId)}{path}";
        using var result = await OpsHttp.SendForSuccessAsync(() =>
        {
            var m = new HttpRequestMessage(method, url);
            m.Headers.TryAddWithoutValidation("Authorization", "OAuth " + cfg.ApiKey.Reveal());
            m.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body is not null) m.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            return m;
        }, Options(cfg), Answers(cfg), ct).ConfigureAwait(false);
        return result.Body.Length == 0 ? null : JsonNode.Parse(result.Body);
    }

    private static string Error(string body)
    {
        try { return JsonNode.Parse(body)?["error"]?.ToString() ?? body; } catch (JsonException) { return body.Length > 200 ? body[..200] : body; }
    }

    private static DateTimeOffset? Time(JsonNode? n) =>
        n?.GetValueKind() == JsonValueKind.String && DateTimeOffset.TryParse(n.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    private static StatusPageComponent Component(JsonNode c, string pageId, StatusPageStatus? before = null, string? incident = null) => new()
    {
        PageId = pageId, Id = c["id"]?.ToString() ?? "", Name = c["name"]?.ToString() ?? "", Status = Parse(c["status"]?.ToString()),
        PreviousStatus = before, Description = c["description"]?.ToString(), GroupId = c["group_id"]?.ToString(), UpdatedAt = Time(c["updated_at"]), IncidentId = incident,
    };

    private static StatusPageIncident Incident(JsonNode i, string pageId, string? linkedTo) => new()
    {
        PageId = pageId, Id = i["id"]?.ToString() ?? "", Name = i["name"]?.ToString() ?? "", Status = i["status"]?.ToString() ?? "", Impact = i["impact"]?.ToString() ?? "",
        Shortlink = i["shortlink"]?.ToString(), CreatedAt = Time(i["created_at"]), UpdatedAt = Time(i["updated_at"]), ResolvedAt = Time(i["resolved_at"]),
        Components = (i["components"] as JsonArray)?.Select(c => c?["name"]?.ToString() ?? "").ToList() ?? [], LinkedTo = linkedTo,
    };

    public static async Task<IReadOnlyList<StatusPageComponent>> GetComponentsAsync(EnvironmentConfig env, CancellationToken ct)
    {
        var cfg = Config(env);
        var json = await CallAsync(cfg, HttpMethod.Get, "/components", null, ct).ConfigureAwait(false) as JsonArray ?? [];
        return json.Where(c => c is not null && c["group"]?.GetValue<bool>() != true).Select(c => Component(c!, cfg.PageId)).ToList();
    }

    /// <summary>The unresolved incidents and maintenances of the page, each with what it is linked to here.</summary>
    public static async Task<IReadOnlyList<StatusPageIncident>> GetOpenIncidentsAsync(EnvironmentConfig env, CancellationToken ct)
    {
        var cfg = Config(env);
        var links = await LinksAsync(env, ct).ConfigureAwait(false);
        var json = await CallAsync(cfg, HttpMethod.Get, "/incidents/unresolved", null, ct).ConfigureAwait(false) as JsonArray ?? [];
        return json.Where(i => i is not null).Select(i =>
        {
            var id = i!["id"]?.ToString() ?? "";
            var link = links.FirstOrDefault(l => l.IncidentId == id);
            return Incident(i, cfg.PageId, link.Kind is null ? null : $"{link.Kind} #{link.LocalId}");
        }).ToList();
    }

    private static async Task<List<(string Kind, long LocalId, string IncidentId)>> LinksAsync(EnvironmentConfig env, CancellationToken ct)
    {
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        return await store.ReadAsync(tx => tx.QueryAsync("SELECT kind, local_id, incident_id FROM statuspage_links WHERE environment = @env",
            r => (r.GetString(0), Convert.ToInt64(r.GetValue(1)), r.GetString(2)), ("env", env.Name)), ct).ConfigureAwait(false);
    }

    /// <summary>What the change is about: the open incident (or, for UnderMaintenance and when no incident is open, the open window).</summary>
    private sealed record Subject(string Kind, long Id, string Name, string IncidentStatus, string? LinkedIncidentId);

    private static async Task<Subject?> SubjectAsync(EnvironmentConfig env, StatusPageStatus status, CancellationToken ct)
    {
        var incidents = await Incidents.ListAsync(env, null, all: false, ct).ConfigureAwait(false);
        var windows = await Maintenance.ListAsync(env, all: false, last: 1, ct).ConfigureAwait(false);
        var links = await LinksAsync(env, ct).ConfigureAwait(false);
        string? Linked(string kind, long id) => links.FirstOrDefault(l => l.Kind == kind && l.LocalId == id).IncidentId;
        var window = windows.FirstOrDefault();
        var incident = incidents.FirstOrDefault();
        if (window is not null && (status == StatusPageStatus.UnderMaintenance || incident is null))
            return new("maintenance", window.Id, "Maintenance: " + window.Reason, "in_progress", Linked("maintenance", window.Id));
        if (incident is not null)
            return new("incident", incident.Id, incident.Title, IncidentStatusFor(incident.Status), Linked("incident", incident.Id));
        return null;
    }

    /// <summary>
    /// Sets the components' status (all of them when none is named) and, when there is something to say, posts to the
    /// status-page incident linked to the open incident or maintenance window (creating and linking it the first time).
    /// Operational resolves the linked status-page incident (completes a maintenance).
    /// </summary>
    public static async Task<IReadOnlyList<StatusPageComponent>> SetAsync(EnvironmentConfig env, StatusPageStatus status, IReadOnlyCollection<string>? names, string? message,
        IOpsReporter reporter, CancellationToken ct)
    {
        var cfg = Config(env);
        var all = await GetComponentsAsync(env, ct).ConfigureAwait(false);
        var targets = ResolveComponents(all, names);
        var api = ApiValue(status);
        var subject = await SubjectAsync(env, status, ct).ConfigureAwait(false);
        string? incidentId = subject?.LinkedIncidentId;

        if (subject is not null && (incidentId is not null || status != StatusPageStatus.Operational))
        {
            var components = new JsonObject();
            foreach (var t in targets) components[t.Id] = api;
            var resolved = status == StatusPageStatus.Operational;
            var spStatus = subject.Kind == "maintenance" ? (resolved ? "completed" : "in_progress") : (resolved ? "resolved" : subject.IncidentStatus);
            var body = message ?? (resolved ? "This incident has been resolved." : $"{string.Join(", ", targets.Select(t => t.Name))}: {Words(status)}.");
            if (incidentId is null)
            {
                var inc = new JsonObject
                {
                    ["name"] = subject.Name, ["status"] = spStatus, ["body"] = body,
                    ["component_ids"] = new JsonArray(targets.Select(t => (JsonNode)JsonValue.Create(t.Id)!).ToArray()), ["components"] = components,
                };
                if (subject.Kind == "maintenance")
                {
                    var w = (await Maintenance.ListAsync(env, false, 1, ct).ConfigureAwait(false)).First();
                    inc["scheduled_for"] = w.OpenedAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
                    inc["scheduled_until"] = w.EndsAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
                }
                var created = await CallAsync(cfg, HttpMethod.Post, "/incidents", new JsonObject { ["incident"] = inc }, ct).ConfigureAwait(false);
                incidentId = created?["id"]?.ToString() ?? throw new OpsException(ErrorIds.StatusPageFailed, "Statuspage created an incident but returned no id.", cfg.PageId);
                await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
                var id = incidentId;
                await store.WriteAsync(tx => tx.ExecuteAsync("""
                    INSERT INTO statuspage_links (kind, local_id, environment, page_id, incident_id, created_at) VALUES (@k, @l, @env, @p, @i, @at)
                    ON CONFLICT (kind, local_id) DO UPDATE SET incident_id = excluded.incident_id, page_id = excluded.page_id
                    """, ("k", subject.Kind), ("l", subject.Id), ("env", env.Name), ("p", cfg.PageId), ("i", id), ("at", DateTimeOffset.UtcNow)), ct).ConfigureAwait(false);
                reporter.Verbose($"Posted status-page incident {incidentId} for {subject.Kind} #{subject.Id} ({spStatus}).");
            }
            else
            {
                await CallAsync(cfg, HttpMethod.Patch, $"/incidents/{Uri.EscapeDataString(incidentId)}",
                    new JsonObject { ["incident"] = new JsonObject { ["status"] = spStatus, ["body"] = body, ["components"] = components } }, ct).ConfigureAwait(false);
                reporter.Verbose($"Updated status-page incident {incidentId} of {subject.Kind} #{subject.Id} ({spStatus}).");
            }
        }
        else if (message is not null && status != StatusPageStatus.Operational)
        {
            // Nothing open here to link to: the message is a status-page incident of its own.
            var components = new JsonObject();
            foreach (var t in targets) components[t.Id] = api;
            var created = await CallAsync(cfg, HttpMethod.Post, "/incidents", new JsonObject
            {
                ["incident"] = new JsonObject
                {
                    ["name"] = message.Split('\n')[0], ["status"] = "investigating", ["body"] = message,
                    ["component_ids"] = new JsonArray(targets.Select(t => (JsonNode)JsonValue.Create(t.Id)!).ToArray()), ["components"] = components,
                },
            }, ct).ConfigureAwait(false);
            incidentId = created?["id"]?.ToString();
        }

        var results = new List<StatusPageComponent>();
        foreach (var t in targets)
        {
            var updated = await CallAsync(cfg, HttpMethod.Patch, $"/components/{Uri.EscapeDataString(t.Id)}",
                new JsonObject { ["component"] = new JsonObject { ["status"] = api } }, ct).ConfigureAwait(false);
            results.Add(updated is null ? t : Component(updated, cfg.PageId, t.Status, incidentId));
        }
        if (status == StatusPageStatus.Operational && subject is not null && subject.LinkedIncidentId is not null) await UnlinkAsync(env, subject.Kind, subject.Id, ct).ConfigureAwait(false);
        return results;
    }

    private static async Task UnlinkAsync(EnvironmentConfig env, string kind, long id, CancellationToken ct)
    {
        await using var store = await StateStore.OpenAsync(env, ct).ConfigureAwait(false);
        await store.WriteAsync(tx => tx.ExecuteAsync("DELETE FROM statuspage_links WHERE kind = @k AND local_id = @l", ("k", kind), ("l", id)), ct).ConfigureAwait(false);
    }

    private static string Words(StatusPageStatus s) => s switch
    {
        StatusPageStatus.Operational => "operational",
        StatusPageStatus.DegradedPerformance => "degraded performance",
        StatusPageStatus.PartialOutage => "partial outage",
        StatusPageStatus.MajorOutage => "major outage",
        _ => "under maintenance",
    };

    /// <summary>The components named (by name or id, case-insensitive), or every component when none is named.</summary>
    public static IReadOnlyList<StatusPageComponent> ResolveComponents(IReadOnlyList<StatusPageComponent> all, IReadOnlyCollection<string>? names)
    {
        if (names is not { Count: > 0 }) return all;
        var list = new List<StatusPageComponent>();
        foreach (var n in names)
        {
            var c = all.FirstOrDefault(x => string.Equals(x.Name, n, StringComparison.OrdinalIgnoreCase) || x.Id == n)
                ?? throw new OpsException(ErrorIds.StatusPageComponentNotFound, $"The status page has no component '{n}' (components: {string.Join(", ", all.Select(x => x.Name))}).", n,
                    "Name a component as Get-OpsStatusPage lists it.");
            if (!list.Contains(c)) list.Add(c);
        }
        return list;
    }
}

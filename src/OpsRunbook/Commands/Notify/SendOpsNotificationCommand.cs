using System.Globalization;
using System.Management.Automation;
using OpsRunbook.Core.Errors;
using OpsRunbook.Core.Health;
using OpsRunbook.Core.Notify;

namespace OpsRunbook.Commands;

/// <summary>
/// Sends a message to the configured notification channels (webhook, http, email). Piped objects (Get-OpsHealth results...)
/// become a short table. One result per channel; a failed channel is a Failed result and a non-terminating error, never
/// a reason to skip the others.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "OpsNotification", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NotificationResult))]
public sealed class SendOpsNotificationCommand : OpsEnvironmentCmdlet
{
    /// <summary>The message text.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Message { get; set; } = "";

    /// <summary>Channels by name (notifications.channels); default: defaultChannels, else all.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[]? Channel { get; set; }

    /// <summary>Info, Warning or Critical; default: the worst Status of the piped objects (Critical, Warning), else Info.</summary>
    [Parameter]
    public NotificationSeverity? Severity { get; set; }

    /// <summary>Objects to summarise as a short table (Get-OpsHealth results, any objects).</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    private readonly List<PSObject> _items = new();

    protected override void Process()
    {
        if (InputObject is not null && InputObject.BaseObject is not null) _items.Add(InputObject);
    }

    protected override void End()
    {
        var channels = Notifier.Select(Env, Channel);
        var (columns, rows) = Tabulate(_items);
        var statuses = _items.Select(StatusOf).Where(s => s is not null).Select(s => s!).ToList();
        var summary = _items.Count == 0 ? ""
            : statuses.Count > 0
                ? $"{_items.Count} result(s): " + string.Join(", ", statuses.GroupBy(s => s).OrderByDescending(g => Rank(g.Key)).Select(g => $"{g.Count()} {g.Key}"))
                : $"{_items.Count} item(s)";
        var message = new NotificationMessage
        {
            Message = Message,
            Severity = Severity ?? Infer(statuses),
            Environment = Env.Name,
            Timestamp = DateTimeOffset.UtcNow,
            Columns = columns,
            Rows = rows,
            TotalRows = _items.Count,
            Summary = summary,
        };
        var go = channels.Where(ch => ShouldProcess($"{ch.Name} ({ch.Kind}, {Notifier.Describe(ch)})", $"Send [{message.Severity}] '{Message}'")).ToList();
        if (go.Count == 0) return;
        var results = Run((r, ct) => Notifier.SendAsync(Env, go, message, r, ct));
        WriteObject(results, enumerateCollection: true);
        foreach (var f in results.Where(x => x.Status == NotificationStatus.Failed))
        {
            var id = f.ErrorId == ErrorIds.NotificationTimeout.Name ? ErrorIds.NotificationTimeout
                : f.ErrorId == ErrorIds.NotificationTemplateInvalid.Name ? ErrorIds.NotificationTemplateInvalid : ErrorIds.NotificationFailed;
            WriteOpsError(new OpsException(id, f.Error ?? "failed", f.Channel, "Check the channel's settings under notifications.channels."));
        }
    }

    private static int Rank(string status) => status switch { "Critical" => 4, "Warning" => 3, "Unknown" => 2, "Healthy" => 1, _ => 0 };

    private static NotificationSeverity Infer(List<string> statuses) =>
        statuses.Contains("Critical") ? NotificationSeverity.Critical
        : statuses.Any(s => s is "Warning" or "Unknown") ? NotificationSeverity.Warning
        : NotificationSeverity.Info;

    private static string? StatusOf(PSObject o)
    {
        if (o.BaseObject is HealthCheckResult h) return h.Status.ToString();
        return o.Properties["Status"]?.Value?.ToString();
    }

    /// <summary>Columns and rows of the table: a health result's Check, Target, Status, Value and Message; other objects' default display properties (or first five).</summary>
    internal static (IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows) Tabulate(List<PSObject> items)
    {
        if (items.Count == 0) return ([], []);
        var first = items[0];
        if (first.BaseObject is HealthCheckResult)
        {
            var hrows = items.Take(Notifier.MaxRows).Select(o => o.BaseObject is HealthCheckResult h
                ? (IReadOnlyList<string>)[h.Check, h.Target, h.Status.ToString(), h.FormatValue(), h.Message]
                : [o.ToString(), "", "", "", ""]).ToList();
            return (["Check", "Target", "Status", "Value", "Message"], hrows);
        }
        if (first.BaseObject is string || first.BaseObject.GetType().IsPrimitive)
            return (["Value"], items.Take(Notifier.MaxRows).Select(o => (IReadOnlyList<string>)[Cell(o.BaseObject)]).ToList());
        var names = (first.Members["PSStandardMembers"]?.Value as PSMemberSet)?.Members["DefaultDisplayPropertySet"]?.Value is PSPropertySet set
            ? set.ReferencedPropertyNames.ToList()
            : first.Properties.Where(p => p.IsGettable).Select(p => p.Name).Take(5).ToList();
        var rows = items.Take(Notifier.MaxRows).Select(o => (IReadOnlyList<string>)names.Select(n => Cell(SafeValue(o, n))).ToList()).ToList();
        return (names, rows);
    }

    private static object? SafeValue(PSObject o, string name)
    {
        try { return o.Properties[name]?.Value; } catch (Exception) { return null; }
    }

    private static string Cell(object? v) => v switch
    {
        null => "",
        PSObject p when p.BaseObject is IFormattable f2 => f2.ToString(null, CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}

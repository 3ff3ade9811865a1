using System.Management.Automation;
using OpsRunbook.Core.Health;

namespace OpsRunbook.Commands;

/// <summary>
/// Colour for people at a terminal, plain text for everything else. Format views call it:
/// <c>[OpsRunbook.Commands.ConsoleStyle]::ForStatus($_.Status, $text)</c>. Colour is used only when output goes to a
/// terminal (not redirected to a file, a pipe, cron mail or the journal), $PSStyle.OutputRendering is not PlainText
/// and NO_COLOR is not set; the colours are $PSStyle's, so a user's $PSStyle settings apply.
/// </summary>
public static class ConsoleStyle
{
    /// <summary>True when escape sequences reach a terminal.</summary>
    public static bool Enabled =>
        !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && PSStyle.Instance.OutputRendering != OutputRendering.PlainText;

    /// <summary>The text in red for Critical, yellow for Warning, unchanged otherwise (and whenever colour is off).</summary>
    public static string ForStatus(HealthStatus status, string? text)
    {
        text ??= "";
        if (!Enabled || text.Length == 0) return text;
        var colour = status switch
        {
            HealthStatus.Critical => PSStyle.Instance.Foreground.BrightRed,
            HealthStatus.Warning => PSStyle.Instance.Foreground.BrightYellow,
            _ => null,
        };
        return colour is null ? text : colour + text + PSStyle.Instance.Reset;
    }
}

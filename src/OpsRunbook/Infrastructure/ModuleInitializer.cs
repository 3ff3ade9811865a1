using System.Management.Automation;

namespace OpsRunbook.Commands;

/// <summary>
/// Runs when the module is imported. When standard output is not a terminal (cron mail, a systemd journal, a file)
/// and $PSStyle.OutputRendering is at its default (Host), it switches to PlainText: on Linux, Host mode still writes
/// escape sequences into redirected output (table headers, error views). A terminal keeps its colours, and an
/// OutputRendering the user chose is left alone. It also registers how remote health results are rehydrated
/// (<see cref="RemoteResults"/>).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        if (Console.IsOutputRedirected && PSStyle.Instance.OutputRendering == OutputRendering.Host)
            PSStyle.Instance.OutputRendering = OutputRendering.PlainText;
        RemoteResults.Register();
    }
}

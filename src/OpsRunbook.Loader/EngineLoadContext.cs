using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace OpsRunbook.Loader;

/// <summary>
/// Dependency isolation, the pattern of PowerShell's docs ("Resolving PowerShell module assembly dependency
/// conflicts"). The engine, OpsRunbook.Core, and everything it uses (YamlDotNet, AWSSDK.*, Npgsql, StackExchange.Redis,
/// Stripe.net, SQLite, MailKit...) sit in the module's Dependencies folder and load into this context of their own, so
/// a session that already holds another version of any of them (AWS.Tools, powershell-yaml, an Npgsql-based module)
/// keeps it, and OpsRunbook keeps its own. The cmdlet assembly, OpsRunbook.dll, stays in the default context (PowerShell
/// loads it as the RootModule); the default context's Resolving hook answers only for OpsRunbook.Core, whose own
/// references then resolve here. OpsRunbook.dll references no third-party assembly (DependencyIsolation.Tests checks it).
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    internal const string EngineName = "OpsRunbook.Core";

    private static readonly object s_gate = new();
    private static bool s_hooked;

    private readonly string _directory;

    private EngineLoadContext(string directory) : base("OpsRunbook", isCollectible: false) => _directory = directory;

    /// <summary>&lt;module&gt;/Dependencies, beside this assembly and OpsRunbook.dll.</summary>
    internal static string DependencyDirectory { get; } =
        Path.Combine(Path.GetDirectoryName(typeof(EngineLoadContext).Assembly.Location) ?? AppContext.BaseDirectory, "Dependencies");

    internal static EngineLoadContext Instance { get; } = new(DependencyDirectory);

    /// <summary>Adds the Resolving hook (once).</summary>
    internal static void Hook()
    {
        lock (s_gate)
        {
            if (s_hooked) return;
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
            s_hooked = true;
        }
    }

    /// <summary>Removes the hook (OnRemove). The engine already bound stays bound: loaded assemblies never unload.</summary>
    internal static void Unhook()
    {
        lock (s_gate)
        {
            if (!s_hooked) return;
            AssemblyLoadContext.Default.Resolving -= ResolveEngine;
            s_hooked = false;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        string.Equals(name.Name, EngineName, StringComparison.Ordinal) ? Instance.LoadFromAssemblyName(name) : null;

    /// <summary>The engine and its dependencies come from Dependencies; anything else (the framework) from the default context.</summary>
    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name is null) return null;
        var path = Path.Combine(_directory, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>Native libraries of the dependencies (SQLite's e_sqlite3) sit in Dependencies too.</summary>
    protected override IntPtr LoadUnmanagedDll(string name)
    {
        foreach (var file in new[] { name, $"lib{name}.so", $"{name}.so", $"lib{name}.dylib", $"{name}.dll" })
        {
            var path = Path.Combine(_directory, file);
            if (File.Exists(path)) return LoadUnmanagedDllFromPath(path);
        }
        return IntPtr.Zero;
    }

    /// <summary>
    /// PowerShell's type resolution sees only assemblies of the default context, so `[OpsRunbook.Core.Health.HealthStatus]`
    /// in a script, a runbook or a format view would not resolve. The engine's public types are therefore registered as
    /// type accelerators under their full names while the module is imported.
    /// </summary>
    internal static class TypeNames
    {
        private static readonly List<string> s_added = [];
        private static readonly Type? s_accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

        internal static void Register()
        {
            if (s_accelerators is null) return;
            var get = (Dictionary<string, Type>?)s_accelerators.GetProperty("Get")?.GetValue(null);
            var add = s_accelerators.GetMethod("Add", [typeof(string), typeof(Type)]);
            if (get is null || add is null) return;
            lock (s_added)
            {
                if (s_added.Count > 0) return;
                var engine = Instance.LoadFromAssemblyName(new AssemblyName(EngineName));
                foreach (var type in engine.GetExportedTypes())
                {
                    var fullName = type.FullName;
                    if (fullName is null || type.IsGenericTypeDefinition || get.ContainsKey(fullName)) continue;
                    add.Invoke(null, [fullName, type]);
                    s_added.Add(fullName);
                }
            }
        }

        internal static void Unregister()
        {
            var remove = s_accelerators?.GetMethod("Remove", [typeof(string)]);
            if (remove is null) return;
            lock (s_added)
            {
                foreach (var name in s_added) remove.Invoke(null, [name]);
                s_added.Clear();
            }
        }
    }
}

/// <summary>
/// The manifest lists this assembly in NestedModules, so PowerShell imports it before the RootModule: OpsRunbook.dll's
/// cmdlet classes have engine types in their layout (enum parameters), and PowerShell reads them (GetExportedTypes)
/// before any code of OpsRunbook.dll could run. Removing the module removes the hook and the type names again.
/// </summary>
public sealed class ModuleEntry : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport()
    {
        EngineLoadContext.Hook();
        EngineLoadContext.TypeNames.Register();
    }

    public void OnRemove(PSModuleInfo module)
    {
        EngineLoadContext.TypeNames.Unregister();
        EngineLoadContext.Unhook();
    }
}

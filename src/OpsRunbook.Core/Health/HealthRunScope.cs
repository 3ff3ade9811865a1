using System.Collections.Concurrent;
using OpsRunbook.Core.Config;
using OpsRunbook.Core.Data;
using StackExchange.Redis;

namespace OpsRunbook.Core.Health;

/// <summary>
/// Connections one health run shares between families (the Redis and Queue families use one Redis
/// connection), disposed when the run ends. Flows to the families through the async context.
/// </summary>
public sealed class HealthRunScope : IAsyncDisposable
{
    private static readonly AsyncLocal<HealthRunScope?> Current = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<ConnectionMultiplexer>>> _redis = new();

    internal static HealthRunScope? Active => Current.Value;

    /// <summary>Makes this scope the one families in this async context use.</summary>
    public HealthRunScope Enter() { Current.Value = this; return this; }

    /// <summary>
    /// Runs work on a Redis connection: the run's shared one when inside a run, else a connection of its own.
    /// Connecting is bounded by the current timeout and the token.
    /// </summary>
    public static async Task<T> WithRedisAsync<T>(RedisConfig cfg, Func<ConnectionMultiplexer, Task<T>> work, CancellationToken ct)
    {
        var scope = Active;
        if (scope is null)
        {
            await using var own = await RedisConnector.ConnectAsync(cfg, ConnectTimeout, ct, ForHealth).ConfigureAwait(false);
            return await work(own).ConfigureAwait(false);
        }
        var key = cfg.Configuration + "\0" + (cfg.Password.IsSet ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(cfg.Password.Reveal() ?? ""))) : "");
        var timeout = ConnectTimeout;
        var lazy = scope._redis.GetOrAdd(key, _ => new Lazy<Task<ConnectionMultiplexer>>(() => RedisConnector.ConnectAsync(cfg, timeout, CancellationToken.None, ForHealth)));
        var mux = await lazy.Value.WaitAsync(ct).ConfigureAwait(false);
        return await work(mux).ConfigureAwait(false);
    }

    /// <summary>The check's bound: StackExchange.Redis gives up on a refused port only at its connect timeout.</summary>
    private static TimeSpan ConnectTimeout => HealthProbe.CurrentTimeout;

    /// <summary>
    /// A one-shot check needs one plain connection: no pub/sub connection (SUBSCRIBE), no cluster
    /// discovery, no tie-breaker read and no CLIENT SETINFO, which halves the connect handshake.
    /// </summary>
    internal static void ForHealth(ConfigurationOptions o)
    {
        o.CommandMap = CommandMap.Create(new HashSet<string> { "SUBSCRIBE", "CLUSTER" }, available: false);
        o.TieBreaker = "";
        o.SetClientLibrary = false;
    }

    /// <summary>Closes the shared connections in the background: the results do not wait for a goodbye.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var lazy in _redis.Values)
        {
            if (!lazy.IsValueCreated) continue;
            _ = lazy.Value.ContinueWith(static t =>
            {
                if (t.IsCompletedSuccessfully) t.Result.Close(allowCommandsToComplete: false);
                if (t.IsCompletedSuccessfully) t.Result.Dispose();
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        _redis.Clear();
        return ValueTask.CompletedTask;
    }
}

using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;
using StackExchange.Redis;

namespace OpsRunbook.Core.Data;

/// <summary>Connects StackExchange.Redis from the redis section, failing fast with a clear OpsException.</summary>
public static class RedisConnector
{
    public static ConfigurationOptions Options(RedisConfig cfg, TimeSpan timeout)
    {
        var o = ConfigurationOptions.Parse(cfg.Configuration);
        if (cfg.Password.IsSet) o.Password = cfg.Password.Reveal();
        o.AllowAdmin = true; // INFO, CLIENT LIST and friends
        o.AbortOnConnectFail = true;
        o.ConnectRetry = 1;
        var ms = (int)Math.Clamp(timeout.TotalMilliseconds, 100, int.MaxValue);
        o.ConnectTimeout = ms;
        o.SyncTimeout = ms;
        o.AsyncTimeout = ms;
        o.ClientName ??= "OpsRunbook";
        return o;
    }

    /// <summary>The endpoints, safe to print (never the password).</summary>
    public static string Describe(RedisConfig cfg)
    {
        try { return string.Join(",", ConfigurationOptions.Parse(cfg.Configuration).EndPoints.Select(e => e.ToString())); }
        catch (ArgumentException) { return "(invalid redis.configuration)"; }
    }

    /// <summary>
    /// A raw TCP connect to every host:port endpoint, bounded by <paramref name="timeout"/>: RedisConnectFailed when every
    /// one refuses, RedisConnectTimeout when none accepts in time; returns when one accepts (or there is nothing to probe,
    /// such as a Unix socket).
    /// </summary>
    internal static async Task ProbeAsync(ConfigurationOptions options, string target, TimeSpan timeout, CancellationToken ct)
    {
        var endpoints = options.EndPoints.Where(e => e is System.Net.DnsEndPoint or System.Net.IPEndPoint).ToList();
        if (endpoints.Count == 0 || endpoints.Count != options.EndPoints.Count) return;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(timeout);
        var defaultPort = options.Ssl ? 6380 : 6379;
        var attempts = endpoints.Select(async e =>
        {
            var (host, port) = e switch
            {
                System.Net.DnsEndPoint d => (d.Host, d.Port),
                System.Net.IPEndPoint ip => (ip.Address.ToString(), ip.Port),
                _ => ("", 0),
            };
            using var tcp = new System.Net.Sockets.TcpClient();
            try
            {
                await tcp.ConnectAsync(host, port == 0 ? defaultPort : port, bound.Token).ConfigureAwait(false);
                return (bool?)true;
            }
            catch (System.Net.Sockets.SocketException se) when (se.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused) { return false; }
            catch (System.Net.Sockets.SocketException) { return null; }    // unreachable, DNS...: let the client say
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return null; }
        }).ToList();
        var results = await Task.WhenAll(attempts).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        if (results.All(r => r == false))
            throw new OpsException(ErrorIds.RedisConnectFailed, $"Cannot reach Redis at {target}: the connection was refused (nothing listens there).", target,
                "Check that Redis is running and that redis.configuration is right.");
        if (results.All(r => r is null) && bound.IsCancellationRequested)
            throw new OpsException(ErrorIds.RedisConnectTimeout, $"Redis at {target} did not answer within {timeout.TotalSeconds:0.#} s.", target, "Check that Redis is up, or raise the timeout.");
    }

    public static async Task<ConnectionMultiplexer> ConnectAsync(RedisConfig cfg, TimeSpan timeout, CancellationToken cancellationToken,
        Action<ConfigurationOptions>? tune = null)
    {
        var target = Describe(cfg);
        try
        {
            var options = Options(cfg, timeout);
            // A refused port fails at once: StackExchange.Redis may otherwise wait out its whole connect timeout
            // before it reports a refused socket. The probe shares the caller's time budget.
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await ProbeAsync(options, target, timeout, cancellationToken).ConfigureAwait(false);
            var left = timeout - sw.Elapsed;
            if (left < TimeSpan.FromMilliseconds(100)) left = TimeSpan.FromMilliseconds(100);
            options = Options(cfg, left);
            tune?.Invoke(options);
            var connect = ConnectionMultiplexer.ConnectAsync(options);
            return await connect.WaitAsync(left + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
        catch (TimeoutException e)
        {
            throw new OpsException(ErrorIds.RedisConnectTimeout, $"Redis at {target} did not answer within {timeout.TotalSeconds:0.#} s.", target, "Check that Redis is up, or raise the timeout.", e);
        }
        catch (RedisConnectionException e) when (e.FailureType == ConnectionFailureType.AuthenticationFailure
                                                  || e.Message.Contains("WRONGPASS", StringComparison.Ordinal) || e.Message.Contains("NOAUTH", StringComparison.Ordinal))
        {
            throw new OpsException(ErrorIds.RedisAuthenticationFailed, $"Redis at {target} refused the password.", target, "Check the variable behind redis.password (e.g. $env:REDIS_PASSWORD).", e);
        }
        catch (RedisConnectionException e)
        {
            throw new OpsException(ErrorIds.RedisConnectFailed, $"Cannot reach Redis at {target}: {e.FailureType}.", target, "Check that Redis is running and that redis.configuration is right.", e);
        }
    }

    /// <summary>One Redis command bounded by <paramref name="timeout"/>: past it, RedisCommandTimeout naming the endpoint.</summary>
    public static async Task<T> Bounded<T>(Task<T> task, TimeSpan timeout, string endpoint, CancellationToken ct)
    {
        try { return await task.WaitAsync(timeout, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is TimeoutException or RedisTimeoutException)
        {
            throw new OpsException(ErrorIds.RedisCommandTimeout, $"Redis at {endpoint} did not answer within {timeout.TotalSeconds:0.#} s.", endpoint, "Check Redis's load (SLOWLOG, INFO) or raise -Timeout.", e);
        }
    }
}

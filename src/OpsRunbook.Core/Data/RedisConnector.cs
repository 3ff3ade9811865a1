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

    public static async Task<ConnectionMultiplexer> ConnectAsync(RedisConfig cfg, TimeSpan timeout, CancellationToken cancellationToken,
        Action<ConfigurationOptions>? tune = null)
    {
        var target = Describe(cfg);
        try
        {
            var options = Options(cfg, timeout);
            tune?.Invoke(options);
            var connect = ConnectionMultiplexer.ConnectAsync(options);
            return await connect.WaitAsync(timeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
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
}

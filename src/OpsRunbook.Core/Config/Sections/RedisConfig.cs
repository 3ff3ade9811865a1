namespace OpsRunbook.Core.Config;

/// <summary>redis: configuration (a StackExchange.Redis configuration string), password.</summary>
public sealed class RedisConfig : IValidatableConfig
{
    public string Configuration { get; set; } = "127.0.0.1:6379";
    public Secret Password { get; set; } = Secret.None;

    public void Validate(ConfigValidationContext c)
    {
        if (!c.Require("configuration", Configuration)) return;
        try { StackExchange.Redis.ConfigurationOptions.Parse(Configuration); }
        catch (ArgumentException e) { c.Error("configuration", $"'configuration' is not a valid Redis configuration string: {e.Message}", ConfigProblemKind.BadValue); }
        if (Configuration.Contains("password=", StringComparison.OrdinalIgnoreCase))
            c.Warning("configuration", "The Redis configuration string holds a password; put it in 'password: ${env:REDIS_PASSWORD}' instead.", ConfigProblemKind.SecretInFile);
    }

    public override string ToString() => Configuration;
}

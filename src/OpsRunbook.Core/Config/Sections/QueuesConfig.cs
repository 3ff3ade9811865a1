namespace OpsRunbook.Core.Config;

/// <summary>queues: source (bullmq or api), prefix (BullMQ key prefix), names.</summary>
public sealed class QueuesConfig : IValidatableConfig
{
    public string Source { get; set; } = "bullmq";
    public string Prefix { get; set; } = "bull";
    public List<string> Names { get; set; } = new();

    public void Validate(ConfigValidationContext c)
    {
        if (Source is not ("bullmq" or "api"))
            c.Error("source", $"'source' must be bullmq or api, not '{Source}'.", ConfigProblemKind.BadValue);
    }
    public override string ToString() => $"{Source}: {string.Join(", ", Names)}";
}

using OpsRunbook.Core.Config;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Tests.Config;

public class ConfigLoaderTests
{
    private const string Full = """
        defaultEnvironment: production
        environments:
          production:
            postgres: { host: 127.0.0.1, port: 5432, database: app, username: ops, password: '${env:DB_PASSWORD}' }
            redis: { configuration: '127.0.0.1:6379', password: '${env:REDIS_PASSWORD}' }
            api: { baseUrl: 'http://127.0.0.1:3000' }
            queues: { source: bullmq, prefix: bull, names: [media-processing, embeddings] }
            services:
              - { name: nginx, kind: process }
              - { name: api, kind: http, url: 'http://127.0.0.1:3000/api/health' }
              - { name: postgres, kind: tcp, address: '127.0.0.1:5432' }
            disk: { paths: [ / ] }
            logs: { directory: /srv/app/logs, api: 'api-{date:yyyy-MM-dd}.log', access: access.log }
            s3: { bucket: backups, region: us-east-1, serviceUrl: '', accessKey: '${env:AWS_ACCESS_KEY_ID}', secretKey: '${env:AWS_SECRET_ACCESS_KEY}', postgresPrefix: postgres/, mediaPrefix: media/ }
            thresholds: { diskWarnPercent: 80, diskCriticalPercent: 90, dbConnectionsWarnPercent: 80, dbConnectionsCriticalPercent: 95, queueDepthWarn: 1000, errorCountWarn: 100 }
          staging:
            postgres: { host: staging-db, port: 5433, database: app, username: ops, password: '${env:STAGING_DB_PASSWORD}' }
        """;

    private static readonly Dictionary<string, string> Vars = new()
    {
        ["DB_PASSWORD"] = "pg-secret-1", ["REDIS_PASSWORD"] = "redis-secret-2",
        ["AWS_ACCESS_KEY_ID"] = "AKIAEXAMPLE", ["AWS_SECRET_ACCESS_KEY"] = "aws-secret-3", ["STAGING_DB_PASSWORD"] = "staging-secret",
    };

    private static ConfigDocument Parse(string yaml, IDictionary<string, string>? vars = null)
        => ConfigLoader.Parse(yaml, "/cfg/ops.yaml", n => (vars ?? Vars).TryGetValue(n, out var v) ? v : null);

    [Fact]
    public void The_contract_example_binds_every_key()
    {
        var doc = Parse(Full);
        Assert.Empty(doc.Problems);
        var env = doc.GetEnvironment(null);
        Assert.Equal("production", env.Name);
        Assert.Equal("/cfg/ops.yaml", env.Source);
        Assert.Equal(("127.0.0.1", 5432, "app", "ops"), (env.Postgres!.Host, env.Postgres.Port, env.Postgres.Database, env.Postgres.Username));
        Assert.Equal("pg-secret-1", env.Postgres.Password.Reveal());
        Assert.Equal("env:DB_PASSWORD", env.Postgres.Password.Source);
        Assert.Equal("127.0.0.1:6379", env.Redis!.Configuration);
        Assert.Equal("http://127.0.0.1:3000", env.Api!.BaseUrl);
        Assert.Equal(["media-processing", "embeddings"], env.Queues!.Names);
        Assert.Equal(["nginx", "api", "postgres"], env.Services.Select(s => s.Name));
        Assert.Equal("http://127.0.0.1:3000/api/health", env.Services[1].Url);
        Assert.Equal(["/"], env.Disk!.Paths);
        Assert.Equal("api-2026-11-29.log", env.Logs!.ApiFileFor(new DateOnly(2026, 11, 29)));
        Assert.Equal("aws-secret-3", env.S3!.SecretKey.Reveal());
        Assert.Equal("postgres/", env.S3.PostgresPrefix);
        Assert.Equal((80, 90, 80, 95, 1000L, 100L), (env.Thresholds.DiskWarnPercent, env.Thresholds.DiskCriticalPercent,
            env.Thresholds.DbConnectionsWarnPercent, env.Thresholds.DbConnectionsCriticalPercent, env.Thresholds.QueueDepthWarn, env.Thresholds.ErrorCountWarn));
        Assert.Equal("staging-db", doc.GetEnvironment("STAGING").Postgres!.Host);
    }

    [Fact]
    public void Secrets_never_show_in_ToString()
    {
        var env = Parse(Full).GetEnvironment(null);
        Assert.DoesNotContain("pg-secret-1", env.Postgres!.ToString());
        Assert.DoesNotContain("pg-secret-1", env.Postgres.Password.ToString());
        Assert.Contains("********", env.Postgres.Password.ToString());
    }

    [Fact]
    public void A_missing_variable_is_an_error_naming_it_with_its_line()
    {
        var vars = new Dictionary<string, string>(Vars);
        vars.Remove("DB_PASSWORD");
        var doc = Parse(Full, vars);
        var p = Assert.Single(doc.Problems);
        Assert.Equal(ConfigProblemKind.MissingVariable, p.Kind);
        Assert.Equal(4, p.Line);
        Assert.Contains("DB_PASSWORD", p.Message);
        var e = Assert.Throws<OpsException>(() => doc.GetEnvironment("production"));
        Assert.Equal("ConfigVariableMissing", e.ErrorId);
        Assert.Contains("DB_PASSWORD", e.Message);
    }

    [Fact]
    public void A_variable_missing_for_another_environment_does_not_block_this_one()
    {
        var vars = new Dictionary<string, string>(Vars);
        vars.Remove("STAGING_DB_PASSWORD");
        var doc = Parse(Full, vars);
        Assert.Equal("production", doc.GetEnvironment("production").Name);
        Assert.Equal("ConfigVariableMissing", Assert.Throws<OpsException>(() => doc.GetEnvironment("staging")).ErrorId);
        Assert.Empty(ConfigInspector.Problems(doc, "production"));
        Assert.Single(ConfigInspector.Problems(doc, "staging"));
    }

    [Fact]
    public void Every_problem_is_reported_once_with_its_position()
    {
        const string yaml = """
            defaultEnvironment: prod
            environments:
              prod:
                postgres: { host: h, port: abc, database: d, username: u, passwrd: x }
                thresholds: { diskWarnPercent: 95, diskCriticalPercent: 90 }
                services:
                  - { name: a, kind: htp }
                  - { name: b, kind: http }
                redis: { configuration: 'x:1', password: literal-secret-value }
                dsik: { paths: [ / ] }
            """;
        var doc = Parse(yaml);
        var byKind = doc.Problems.ToLookup(p => p.Kind);
        var port = Assert.Single(doc.Problems, p => p.Path == "environments.prod.postgres.port");
        Assert.Equal((ConfigProblemKind.BadValue, 4, 32), (port.Kind, port.Line, port.Column));
        Assert.Contains("'abc'", port.Message);
        var unknown = Assert.Single(doc.Problems, p => p.Path == "environments.prod.postgres.passwrd");
        Assert.Equal(ConfigProblemKind.UnknownKey, unknown.Kind);
        Assert.Contains("Did you mean 'password'", unknown.Message);
        Assert.Contains("Did you mean 'disk'", Assert.Single(doc.Problems, p => p.Path == "environments.prod.dsik").Message);
        Assert.Single(doc.Problems, p => p.Path == "environments.prod.thresholds.diskWarnPercent" && p.Kind == ConfigProblemKind.Invalid);
        Assert.Single(doc.Problems, p => p.Path == "environments.prod.services[0].kind" && p.Line == 7);
        Assert.Single(doc.Problems, p => p.Path == "environments.prod.services[1].url" && p.Kind == ConfigProblemKind.MissingKey);
        var secret = Assert.Single(byKind[ConfigProblemKind.SecretInFile]);
        Assert.Equal(ConfigSeverity.Warning, secret.Severity);
        Assert.DoesNotContain("literal-secret-value", secret.Message);
        Assert.Equal(7, doc.Problems.Count);
        var e = Assert.Throws<OpsException>(() => doc.GetEnvironment(null));
        Assert.Equal("ConfigInvalid", e.ErrorId);
    }

    [Theory]
    [InlineData("environments:\n  prod:\n    postgres: { host: h\n  x: [1,", "ConfigSyntaxError")]
    [InlineData("environments:\n  prod:\n    postgres:\n   host: h\n", "ConfigSyntaxError")]
    [InlineData("environments: [\n", "ConfigSyntaxError")]
    [InlineData("key: 'unterminated\n", "ConfigSyntaxError")]
    [InlineData("", "ConfigSyntaxError")]
    public void Syntax_errors_have_a_line_and_column(string yaml, string errorId)
    {
        var doc = Parse(yaml);
        var p = Assert.Single(doc.Problems);
        Assert.Equal(ConfigProblemKind.Syntax, p.Kind);
        Assert.True(p.Line >= 1, p.ToString());
        Assert.Equal(errorId, Assert.Throws<OpsException>(() => doc.GetEnvironment(null)).ErrorId);
    }

    [Fact]
    public void Duplicate_keys_are_reported()
    {
        var doc = Parse("environments:\n  prod:\n    api: { baseUrl: 'http://a' }\n    api: { baseUrl: 'http://b' }\n");
        var p = Assert.Single(doc.Problems);
        Assert.True(p.Kind is ConfigProblemKind.Syntax or ConfigProblemKind.Invalid);
        Assert.Equal(4, p.Line);
    }

    [Fact]
    public void Merge_keys_share_sections_between_environments()
    {
        const string yaml = """
            environments:
              production: &prod
                api: { baseUrl: 'http://prod' }
                thresholds: { diskWarnPercent: 70, diskCriticalPercent: 85 }
              staging:
                <<: *prod
                api: { baseUrl: 'http://staging' }
            """;
        var doc = Parse(yaml);
        Assert.Empty(doc.Problems);
        var staging = doc.GetEnvironment("staging");
        Assert.Equal("http://staging", staging.Api!.BaseUrl);
        Assert.Equal(70, staging.Thresholds.DiskWarnPercent);
        Assert.Equal("http://prod", doc.GetEnvironment("production").Api!.BaseUrl);
    }

    [Fact]
    public void A_doubled_dollar_is_a_literal_reference()
    {
        var doc = Parse("environments:\n  p:\n    api: { baseUrl: 'http://h/$${env:X}' }\n");
        Assert.Empty(doc.Problems);
        Assert.Equal("http://h/${env:X}", doc.GetEnvironment("p").Api!.BaseUrl);
    }

    [Fact]
    public void Variables_substitute_inside_text()
    {
        var doc = Parse("environments:\n  p:\n    api: { baseUrl: 'http://${env:HOST}:${env:PORT}/' }\n", new Dictionary<string, string> { ["HOST"] = "h", ["PORT"] = "81" });
        Assert.Equal("http://h:81/", doc.GetEnvironment("p").Api!.BaseUrl);
    }

    [Fact]
    public void A_malformed_reference_is_a_bad_value()
    {
        var doc = Parse("environments:\n  p:\n    api: { baseUrl: 'http://${env:BAD-NAME}/' }\n");
        Assert.Equal(ConfigProblemKind.BadValue, Assert.Single(doc.Problems).Kind);
    }

    [Fact]
    public void Environment_selection_errors_are_clear()
    {
        var two = Parse("environments:\n  a: {}\n  b: {}\n");
        Assert.Equal("ConfigEnvironmentRequired", Assert.Throws<OpsException>(() => two.GetEnvironment(null)).ErrorId);
        var e = Assert.Throws<OpsException>(() => two.GetEnvironment("c"));
        Assert.Equal("ConfigEnvironmentNotFound", e.ErrorId);
        Assert.Contains("a, b", e.Message);
        Assert.Equal("a", Parse("environments:\n  a: {}\n").GetEnvironment(null).Name);
        Assert.Contains(Parse("defaultEnvironment: z\nenvironments:\n  a: {}\n").Problems, p => p.Path == "defaultEnvironment");
        Assert.Contains(Parse("environments: {}\n").Problems, p => p.Kind == ConfigProblemKind.MissingKey);
    }

    [Fact]
    public void Wrong_shapes_are_bad_values()
    {
        var doc = Parse("environments:\n  p:\n    services: { name: x }\n    disk: { paths: / }\n    api: [a]\n");
        Assert.Equal(3, doc.Problems.Count(p => p.Kind == ConfigProblemKind.BadValue));
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("500ms", 0.5)]
    [InlineData("00:05:00", 300)]
    public void Durations_parse(string text, double seconds)
    {
        Assert.True(OpsRunbook.Core.Text.Duration.TryParse(text, out var t));
        Assert.Equal(seconds, t.TotalSeconds);
    }

    [Fact]
    public void Listing_environments_names_their_sections()
    {
        var envs = ConfigInspector.Environments(Parse(Full)).ToList();
        Assert.Equal(["production", "staging"], envs.Select(e => e.Name));
        Assert.True(envs[0].IsDefault);
        Assert.Contains("s3", envs[0].Sections);
        Assert.DoesNotContain("s3", envs[1].Sections);
    }
}

public class ConfigSecretLeakTests
{
    [Fact]
    public void Problems_quote_the_reference_never_the_value_from_the_environment()
    {
        const string canary = "Canary-Leak-7731";
        const string yaml = """
            environments:
              p:
                postgres: { host: h, port: '${env:C}', database: d, username: u }
                api: { baseUrl: '${env:C}' }
                services:
                  - { name: s, kind: tcp, address: '${env:C}' }
            """;
        var doc = ConfigLoader.Parse(yaml, "/x.yaml", n => n == "C" ? canary : null);
        Assert.Equal(3, doc.Problems.Count);
        foreach (var p in doc.Problems)
        {
            Assert.DoesNotContain(canary, p.Message);
            Assert.Contains("${env:C}", p.Message);
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(11)]
    [InlineData(40)]
    public void A_merge_key_bomb_fails_with_ConfigTooComplex_within_a_second(int levels)
    {
        // Each level merges the one below ten times: 10^levels mappings once expanded (7 levels took 21 s, 11 never ended).
        var sb = new System.Text.StringBuilder("defaultEnvironment: e0\nenvironments:\n  e0: &e0 { postgres: { host: h, database: d, username: u } }\n");
        for (var n = 1; n <= levels; n++)
            sb.Append($"  e{n}: &e{n} {{ <<: [{string.Join(", ", Enumerable.Repeat($"*e{n - 1}", 10))}] }}\n");
        var text = sb.ToString();
        Assert.True(text.Length < 1024 * 1024);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var doc = ConfigLoader.Parse(text, "bomb.yaml", _ => null);
        var e = Assert.Throws<OpsException>(() => doc.GetEnvironment(null));
        sw.Stop();
        Assert.Same(ErrorIds.ConfigTooComplex, e.Id);
        Assert.Contains(doc.Problems, p => p.Kind == ConfigProblemKind.TooComplex && p.Line > 0);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Ordinary_merge_keys_still_bind()
    {
        var doc = ConfigLoader.Parse("""
            environments:
              production: &p { postgres: { host: h, database: d, username: u } }
              staging: { <<: *p, postgres: { host: s, database: d, username: u } }
            defaultEnvironment: staging
            """, "ok.yaml", _ => null);
        Assert.Equal("s", doc.GetEnvironment("staging").Postgres!.Host);
        Assert.Equal("h", doc.GetEnvironment("production").Postgres!.Host);
    }

    [Theory]
    [InlineData("postgresPrefix", "x/../y/", "'..' segment")]
    [InlineData("postgresPrefix", "/postgres/", "starts with '/'")]
    [InlineData("mediaPrefix", "media//x/", "empty segment")]
    [InlineData("mediaPrefix", "./media/", "'.' segment")]
    public void S3_prefixes_that_S3_would_normalise_are_rejected(string key, string value, string why)
    {
        var doc = ConfigLoader.Parse($"environments:\n  production:\n    s3: {{ bucket: b, {key}: '{value}' }}\n", "p.yaml", _ => null);
        var p = Assert.Single(doc.Problems);
        Assert.Equal($"environments.production.s3.{key}", p.Path);
        Assert.Contains(why, p.Message);
        Assert.Equal(ErrorIds.ConfigInvalid, Assert.Throws<OpsException>(() => doc.GetEnvironment("production")).Id);
    }

    [Theory]
    [InlineData("postgres/")]
    [InlineData("team-a/pg/")]
    [InlineData("backups.v2/pg/")]
    public void Plain_S3_prefixes_are_accepted(string value)
    {
        var doc = ConfigLoader.Parse($"environments:\n  production:\n    s3: {{ bucket: b, postgresPrefix: '{value}' }}\n", "p.yaml", _ => null);
        Assert.Empty(doc.Problems);
    }

    [Fact]
    public void An_environment_named_in_another_case_reports_the_configs_own_spelling()
    {
        var doc = ConfigLoader.Parse("environments:\n  production: { postgres: { host: h, database: d, username: u } }\n", "c.yaml", _ => null);
        Assert.Equal("production", doc.GetEnvironment("PRODUCTION").Name);
        Assert.Equal("production", doc.GetEnvironment("Production").Name);
    }
}

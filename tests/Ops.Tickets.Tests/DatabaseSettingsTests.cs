using Microsoft.Extensions.Options;
using Ops.Hosting.Admin;
using Ops.Hosting.Configuration;
using Ops.Hosting.Storage;
using Ops.Testing;

namespace Ops.Tickets.Tests;

/// <summary>
/// Which store a service runs on: the connection string that is set, <c>Database:Provider</c> when both are; a choice
/// that cannot be made, or a connection string that cannot be read, stops the service at start naming the setting.
/// </summary>
public class DatabaseSettingsTests
{
    // Made at each run: a test never carries anything that looks like a real secret.
    private static readonly string Password = Guid.NewGuid().ToString("N");
    private static readonly string Postgres = new Npgsql.NpgsqlConnectionStringBuilder { Host = "db.internal", Port = 5432, Database = "ops_tickets", Username = "ops", Password = Password }.ConnectionString;
    private const string SqlServer = "Server=db.internal;Database=ops_tickets;Integrated Security=true;TrustServerCertificate=true";

    private static (SqlProvider Provider, string? ConnectionString) Select(string provider, string? sqlServer, string? postgres) =>
        new DatabaseOptions { Provider = provider }.Select(sqlServer, postgres);

    private static string Refusal(string provider, string? sqlServer, string? postgres) =>
        Assert.Throws<OptionsValidationException>(() => Select(provider, sqlServer, postgres))!.Failures.Single();

    [Test]
    public void WithoutAConnectionString_TheServiceRunsOnItsSqliteFile() =>
        Assert.That(Select("", null, " "), Is.EqualTo((SqlProvider.Sqlite, (string?)null)));

    [Test]
    public void TheConnectionStringThatIsSet_ChoosesTheStore()
    {
        Assert.That(Select("", null, Postgres), Is.EqualTo((SqlProvider.Postgres, (string?)Postgres)));
        Assert.That(Select("", SqlServer, null), Is.EqualTo((SqlProvider.SqlServer, (string?)SqlServer)));
    }

    [TestCase("postgres", SqlProvider.Postgres)]
    [TestCase("sqlserver", SqlProvider.SqlServer)]
    [TestCase(" SQLite ", SqlProvider.Sqlite)]
    public void WithBothConnectionStringsSet_TheProviderChooses(string provider, SqlProvider chosen) =>
        Assert.That(Select(provider, SqlServer, Postgres).Provider, Is.EqualTo(chosen));

    [Test]
    public void BothConnectionStringsSet_WithoutAProvider_AreRefused() =>
        Assert.That(Refusal("", SqlServer, Postgres), Does.Contain("are both set").And.Contain("Database:Provider (Database__Provider)"));

    [TestCase("postgres", "ConnectionStrings:Postgres (ConnectionStrings__Postgres) is not set")]
    [TestCase("sqlserver", "ConnectionStrings:SqlServer (ConnectionStrings__SqlServer) is not set")]
    public void AProviderWithoutItsConnectionString_IsRefused(string provider, string refusal) =>
        Assert.That(Refusal(provider, provider == "postgres" ? SqlServer : null, provider == "sqlserver" ? Postgres : null), Does.Contain($"Database:Provider is {provider}, but {refusal}"));

    [Test]
    public void AConnectionStringThatCannotBeRead_IsRefused_NamingIt()
    {
        Assert.That(Refusal("", null, "Host=db.internal;Prot=5432"), Does.StartWith("ConnectionStrings:Postgres (ConnectionStrings__Postgres): "));
        Assert.That(Refusal("", "Server=db.internal;Colour=blue", null), Does.StartWith("ConnectionStrings:SqlServer (ConnectionStrings__SqlServer): "));
    }

    [TestCase("Host=db;Password={0};Username=ops", "Host=db;Password=" + Secrets.Mask + ";Username=ops")]
    [TestCase("Host=db;PSW='{0}'", "Host=db;PSW=" + Secrets.Mask)]
    [TestCase("Host=db;Pwd={0}", "Host=db;Pwd=" + Secrets.Mask)]
    public void APostgresConnectionStringsPassword_IsMasked(string connection, string shown) =>
        Assert.That(Secrets.Shown("ConnectionStrings:Postgres", string.Format(System.Globalization.CultureInfo.InvariantCulture, connection, Password)), Is.EqualTo(shown));

    [Test]
    public async Task CheckConfig_OfAServiceOnPostgres_MasksItsPassword_AndPasses()
    {
        var (exitCode, output) = await RefusedStart.RunAsync("Tickets", new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = Postgres,
        }, "admin", CheckConfig.Verb);

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain($"ConnectionStrings:Postgres = Host=db.internal;Port=5432;Database=ops_tickets;Username=ops;Password={Secrets.Mask}\n"));
        Assert.That(output, Does.Contain("Database:Provider = \n"));
        Assert.That(output, Does.Not.Contain(Password));
        Assert.That(output, Does.EndWith(CheckConfig.Valid + "\n"));
    }

    [Test]
    public async Task CheckConfig_WithBothServersAndNoProvider_Fails_NamingTheSetting()
    {
        var (exitCode, output) = await RefusedStart.RunAsync("Tickets", new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = Postgres,
            ["ConnectionStrings__SqlServer"] = SqlServer,
        }, "admin", CheckConfig.Verb);

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("say which store to use with Database:Provider (Database__Provider) postgres or sqlserver"));
        Assert.That(output, Does.Not.Contain(Password));
    }

    [Test]
    public async Task CheckConfig_WithAProviderItDoesNotKnow_Fails_NamingTheSetting()
    {
        var (exitCode, output) = await RefusedStart.RunAsync("Tickets", new Dictionary<string, string>
        {
            ["Database__Provider"] = "mysql",
        }, "admin", CheckConfig.Verb);

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("Database:Provider"));
    }
}

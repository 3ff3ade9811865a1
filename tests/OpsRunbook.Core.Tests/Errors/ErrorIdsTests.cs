using System.Reflection;
using OpsRunbook.Core.Errors;

namespace OpsRunbook.Core.Tests.Errors;

public class ErrorIdsTests
{
    [Fact]
    public void Every_catalogue_entry_is_named_after_its_field_and_says_what_it_means()
    {
        var fields = typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(OpsErrorId)).ToList();
        Assert.True(fields.Count > 50, $"only {fields.Count} ids in the catalogue");
        foreach (var f in fields)
        {
            var id = (OpsErrorId)f.GetValue(null)!;
            Assert.Equal(f.Name, id.Name);
            Assert.Matches("^[A-Z][A-Za-z0-9]+$", id.Name);
            Assert.False(string.IsNullOrWhiteSpace(id.Meaning), $"{id.Name} has no meaning");
        }
        Assert.Equal(fields.Count, ErrorIds.All.Count);
    }

    [Fact]
    public void Config_errors_are_flagged_by_the_catalogue_not_by_their_name()
    {
        Assert.True(new OpsException(ErrorIds.ConfigVariableMissing, "x").IsConfigError);
        Assert.False(new OpsException(ErrorIds.DbConnectFailed, "x").IsConfigError);
        Assert.All(ErrorIds.All.Values.Where(e => e.IsConfig), e => Assert.StartsWith("Config", e.Name));
    }

    [Fact]
    public void Find_returns_the_entry_or_null()
    {
        Assert.Same(ErrorIds.BackupCorrupt, ErrorIds.Find("BackupCorrupt"));
        Assert.Null(ErrorIds.Find("NoSuchId"));
    }
}

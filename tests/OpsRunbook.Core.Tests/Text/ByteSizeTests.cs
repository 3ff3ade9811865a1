using OpsRunbook.Core.Text;

namespace OpsRunbook.Core.Tests.Text;

public class ByteSizeTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1.0 KiB")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(5L * 1024 * 1024 * 1024, "5.0 GiB")]
    [InlineData(-2048L, "-2.0 KiB")]
    public void Formats_binary_units(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));
}

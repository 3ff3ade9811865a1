using System.Text;
using OpsRunbook.Core.Operations;
using Xunit;

namespace OpsRunbook.Core.Tests.Operations;

public class ServiceLogTests
{
    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var header = new byte[8];
        header[0] = stream;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
        return [.. header, .. payload];
    }

    [Fact]
    public void Demultiplexes_frames_joining_a_line_split_across_frames_of_one_stream()
    {
        byte[] data = [.. Frame(1, "out one\nout "), .. Frame(1, "two\n"), .. Frame(2, "err\n"), .. Frame(1, "out three\n")];
        var frames = ServiceLog.Demultiplex(data);
        Assert.Equal(["stdout", "stderr", "stdout"], frames.Select(f => f.Stream));
        Assert.Equal("out one\nout two\n", Encoding.UTF8.GetString(frames[0].Payload));
    }

    [Fact]
    public void A_truncated_last_frame_keeps_what_arrived()
    {
        var full = Frame(2, "abcdef\n");
        var frames = ServiceLog.Demultiplex(full.AsSpan(0, full.Length - 3));
        Assert.Equal("abcd", Encoding.UTF8.GetString(Assert.Single(frames).Payload));
    }

    [Fact]
    public void Parses_journal_json_with_byte_array_messages_and_priorities()
    {
        var e = ServiceLog.ParseJournalJson("""{"__REALTIME_TIMESTAMP":"1764669600123456","PRIORITY":"2","SYSLOG_IDENTIFIER":"api","MESSAGE":[104,105,10]}""", "journald:api.service");
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764669600123).AddTicks(4560), e.Time);
        Assert.Equal(ServiceLogLevel.Critical, e.Level);
        Assert.Equal("hi", e.Message);
        Assert.Equal("api", e.Stream);
    }

    [Theory]
    [InlineData("2026-12-02T10:00:00Z ERROR boom", ServiceLogLevel.Error)]
    [InlineData("[WARN] slow", ServiceLogLevel.Warning)]
    [InlineData("level=debug msg=x", ServiceLogLevel.Debug)]
    [InlineData("FATAL: the database system is shutting down", ServiceLogLevel.Critical)]
    [InlineData("user errorless login", ServiceLogLevel.Info)]
    public void Reads_the_level_near_the_start(string line, ServiceLogLevel level) => Assert.Equal(level, ServiceLog.LevelOf(line));

    [Fact]
    public void Reads_the_tail_of_a_file_across_block_boundaries()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, Enumerable.Range(0, 50000).Select(i => $"2026-12-02T10:00:00Z INFO line {i} " + new string('x', i % 97)));
            var tail = ServiceLog.ReadFile(path, 3, null, CancellationToken.None);
            Assert.Equal(["line 49997", "line 49998", "line 49999"], tail.Select(t => t.Message.Split(' ')[2..4]).Select(p => string.Join(' ', p)));
            Assert.Equal(50000, ServiceLog.ReadFile(path, 60000, null, CancellationToken.None).Count);
        }
        finally { File.Delete(path); }
    }
}

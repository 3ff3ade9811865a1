namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the Logs area (the log reader and the cmdlets on it).</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId LogFileNotFound = new(nameof(LogFileNotFound), OpsErrorCategory.ObjectNotFound,
        "A log path (or wildcard) matches no file; the scan goes on with the others.");
    public static readonly OpsErrorId LogFileUnreadable = new(nameof(LogFileUnreadable), OpsErrorCategory.ReadError,
        "A log file could not be opened or read (permissions, I/O error); the scan goes on with the others.");
    public static readonly OpsErrorId LogGzipCorrupt = new(nameof(LogGzipCorrupt), OpsErrorCategory.InvalidData,
        "A .gz log is truncated or corrupt: the lines up to the break were read, the rest is lost.");
    public static readonly OpsErrorId LogLineTooLong = new(nameof(LogLineTooLong), OpsErrorCategory.InvalidData,
        "Lines longer than the reader's limit (64 KiB) were skipped and counted as unparsed.");
    public static readonly OpsErrorId LogBinaryData = new(nameof(LogBinaryData), OpsErrorCategory.InvalidData,
        "Lines with NUL bytes (binary data in a text log) were skipped and counted as unparsed.");
    public static readonly OpsErrorId LogFileRotated = new(nameof(LogFileRotated), OpsErrorCategory.InvalidOperation,
        "A log was rotated (renamed and recreated, or truncated) during the scan: the file that was open was read to its end; lines written to the new file after the scan started are not included.");
    public static readonly OpsErrorId LogLinesUnparsed = new(nameof(LogLinesUnparsed), OpsErrorCategory.ParserError,
        "Lines that do not match the log format were counted (UnparsedLines) and skipped.");
    public static readonly OpsErrorId ConfigLogFormatInvalid = new(nameof(ConfigLogFormatInvalid), OpsErrorCategory.InvalidArgument,
        "logs.accessFormat is not a usable nginx log_format string, or a logs.endpointRules pattern is not a valid regex.", isConfig: true);
    public static readonly OpsErrorId InvalidTimeWindow = new(nameof(InvalidTimeWindow), OpsErrorCategory.InvalidArgument,
        "-Since is after -Until.");
    public static readonly OpsErrorId InvalidLogMatch = new(nameof(InvalidLogMatch), OpsErrorCategory.InvalidArgument,
        "-Match is not a valid regular expression.");
    public static readonly OpsErrorId InvalidBruteForceThreshold = new(nameof(InvalidBruteForceThreshold), OpsErrorCategory.InvalidArgument,
        "-Window must be positive and -Threshold at least 1.");
}

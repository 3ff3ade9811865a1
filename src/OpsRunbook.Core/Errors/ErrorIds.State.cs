namespace OpsRunbook.Core.Errors;

/// <summary>Error ids of the State area (the state store and health history).</summary>
public static partial class ErrorIds
{
    public static readonly OpsErrorId StateStoreTooNew = new(nameof(StateStoreTooNew), OpsErrorCategory.InvalidData,
        "The state store was written by a newer OpsRunbook (a higher schema version or an area this version does not know); it is left untouched.");
    public static readonly OpsErrorId StateStoreCorrupt = new(nameof(StateStoreCorrupt), OpsErrorCategory.InvalidData,
        "The state store file is not a SQLite database or is damaged; the message names the file, which is left untouched.");
    public static readonly OpsErrorId StateStoreReadOnly = new(nameof(StateStoreReadOnly), OpsErrorCategory.PermissionDenied,
        "The state store (its file, its directory or its PostgreSQL schema) cannot be written.");
    public static readonly OpsErrorId StateStoreBusy = new(nameof(StateStoreBusy), OpsErrorCategory.ResourceUnavailable,
        "Another process held the state store's write lock for longer than the busy timeout.");
    public static readonly OpsErrorId StateStoreUnavailable = new(nameof(StateStoreUnavailable), OpsErrorCategory.ResourceUnavailable,
        "The state store could not be opened or used (the message carries the SQLite or PostgreSQL error).");
}

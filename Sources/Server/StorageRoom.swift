/// How much room the store has left: the map may grow to its maximum, but
/// only as far as the disk holding it allows, so headroom is measured
/// against whichever is smaller. A 1 TiB map on a 16 MiB filesystem has
/// the filesystem's room, not the map's.
struct StorageRoom: Equatable {
    /// Bytes of the map in use.
    let used: Int
    /// What the store can use at most: the map's maximum, or its data
    /// file's size plus the disk's free space, whichever is less.
    let limit: Int
    /// Whether the disk, not the map's maximum, sets `limit`.
    let limitedByDisk: Bool

    /// - Parameter diskFree: bytes free for this user on the data
    ///   directory's filesystem; negative when unknown (the map alone counts).
    init(used: Int, fileBytes: Int, maxBytes: Int, diskFree: Int64) {
        self.used = used
        let diskLimit = diskFree >= 0 ? max(used, fileBytes) + Int(diskFree) : Int.max
        limitedByDisk = diskLimit < maxBytes
        limit = min(maxBytes, diskLimit)
    }

    /// The share of `limit` not yet used, 0...1.
    var headroom: Double { limit > 0 ? max(0, 1 - Double(used) / Double(limit)) : 0 }

    /// What an operator should do when little room is left.
    var problem: String {
        let percent = Int((1 - headroom) * 100)
        return limitedByDisk
            ? "the store has used \(percent)% of the room its disk leaves it (\(limit - used) bytes left); free disk space or move the data directory"
            : "the map is \(percent)% of its maximum; raise --max-map-size-gib"
    }
}

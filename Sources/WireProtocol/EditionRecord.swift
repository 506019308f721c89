import AccordCore

/// `publish_edition`: a published edition to put on the record, as
/// `EditionPublished` in the `$editions` stream. The server checks `root`
/// against its own log's root at `treeSize` before it records anything.
public struct EditionRecord: Sendable, Hashable {
    /// The events the edition covers: a checkpoint's size.
    public var treeSize: UInt64
    /// The log's root at `treeSize`, base64.
    public var root: String
    /// SHA-256 of the edition's `edition.json`, 64 lowercase hex digits.
    public var manifestSHA256: String
    /// The edition's date (the date of the last event it covers).
    public var editionDate: CalendarDate

    public init(treeSize: UInt64, root: String, manifestSHA256: String, editionDate: CalendarDate) {
        self.treeSize = treeSize
        self.root = root
        self.manifestSHA256 = manifestSHA256
        self.editionDate = editionDate
    }

    init(_ m: inout Members) throws(WireError) {
        treeSize = UInt64(try m.int("treeSize", range: 1...Int64.max))
        root = try m.string("root")
        manifestSHA256 = try m.string("manifestSha256")
        guard manifestSHA256.utf8.count == 64, manifestSHA256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { throw .badRequest("manifestSha256 must be 64 lowercase hex digits", field: "manifestSha256") }
        guard let date = try m.optionalDate("editionDate") else {
            throw .badRequest("editionDate is required: YYYY-MM-DD", field: "editionDate")
        }
        editionDate = date
    }
}

import AccordCore
import AccordJSON
import Merkle

/// The edition before this one, as its manifest states it.
public struct PreviousEdition: Sendable, Hashable {
    public var treeSize: UInt64
    public var root: TreeHash
    public var date: CalendarDate
    /// SHA-256 of its `edition.json`, in hex: this edition's manifest names it, so editions form one chain.
    public var manifestSHA256: String

    public init(treeSize: UInt64, root: TreeHash, date: CalendarDate, manifestSHA256: String) {
        self.treeSize = treeSize
        self.root = root
        self.date = date
        self.manifestSHA256 = manifestSHA256
    }

    /// Reads a previous edition's `edition.json`.
    public init(manifest bytes: [UInt8]) throws(EditionError) {
        let manifest: JSONValue
        do {
            manifest = try JSONParser.parse(bytes)
        } catch {
            throw .unreadable("the previous edition's edition.json is not JSON: \(error)")
        }
        guard let size = manifest["treeSize"]?.int64Value, size >= 0,
            let root = manifest["root"]?.stringValue.flatMap({ TreeHash(base64: $0) }),
            let date = manifest["editionDate"]?.stringValue.flatMap({ CalendarDate($0) })
        else {
            throw .unreadable("the previous edition's edition.json has no treeSize, root and editionDate: is it an Accord edition?")
        }
        self.init(treeSize: UInt64(size), root: root, date: date, manifestSHA256: Edition.sha256Hex(bytes))
    }
}

import AccordCore
import AccordJSON

/// `edition.json`: what the edition covers (the checkpoint, its size and
/// root, the verifier key), the edition before it, its sheets, and every
/// other file's SHA-256. Written as canonical JSON (RFC 8785), so its own
/// hash is stable and names the edition on the record (`EditionPublished`).
struct EditionManifest {
    static let format = 1

    let source: Edition.Source
    let date: CalendarDate
    let sheets: [EditionSheet]
    /// Every other file: its path, size and SHA-256.
    let files: [(path: String, bytes: Int, sha256: String)]
    let downloads: [String]

    var json: JSONValue {
        let checkpoint = source.checkpoint.checkpoint
        var members: JSONObject = [
            "format": .integer(Int64(Self.format)),
            "generator": .string(source.generator),
            "editionDate": .string(date.description),
            "origin": .string(checkpoint.origin),
            "treeSize": .integer(Int64(checkpoint.size)),
            "root": .string(checkpoint.root.base64),
            "epoch": .integer(Int64(checkpoint.effectiveEpoch)),
            "checkpoint": .string(source.checkpoint.text),
            "verifierKey": .string(source.verifierKey.text),
            "sheets": .array(
                sheets.map { sheet in
                    .object([
                        "name": .string(sheet.name), "title": .string(sheet.title), "file": .string(sheet.file),
                        "rows": .integer(Int64(sheet.rows.count)),
                    ])
                }),
            "downloads": .array(downloads.map { .string($0) }),
            "files": .array(
                files.map { file in
                    .object([
                        "path": .string(file.path), "sha256": .string(file.sha256), "bytes": .integer(Int64(file.bytes)),
                    ])
                }),
        ]
        if let previous = source.previous {
            members["previous"] = .object([
                "treeSize": .integer(Int64(previous.treeSize)), "root": .string(previous.root.base64),
                "editionDate": .string(previous.date.description), "manifestSha256": .string(previous.manifestSHA256),
            ])
        }
        return .object(members)
    }

    /// Canonical JSON and a final newline.
    var bytes: [UInt8] {
        (try? CanonicalJSON(json).bytes).map { $0 + [0x0A] } ?? []
    }
}

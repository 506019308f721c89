import AccordCore
import AccordJSON
import EventStore
import Foundation
import Merkle
import WireProtocol

extension ConnectionHandler {
    static let editionsStream = try! StreamName("$editions")
    static let editionPublishedType = "EditionPublished"

    /// `publish_edition`: records an edition in `$editions` by this
    /// connection's principal, once its root is checked against the log's at
    /// its size. The event id is derived from the manifest's hash, so
    /// publishing the same edition again answers `duplicate` with the first
    /// record's position rather than recording it twice.
    func startPublishEdition(_ ticket: Ticket, _ record: EditionRecord) {
        if let primary = server.operations.primary {
            let error = WireError(
                .readOnly, "this server is a read-only replica; publish to its primary \(primary.primary)",
                details: ["primary": .string(primary.primary)])
            return finish(ticket, server.refusal(ticket.id, error))
        }
        if let refusal = server.operations.fence.refusal { return finish(ticket, server.refusal(ticket.id, refusal)) }
        let (store, principal) = (server.store, principal)
        submit(ticket, op: "publish_edition", onPool: true) {
            let head = store.head
            guard record.treeSize <= head else {
                throw WireError(
                    .badRequest, "treeSize \(record.treeSize) is past the log's head \(head)",
                    details: ["field": "treeSize", "head": .integer(Int64(head))])
            }
            let root = try store.read { txn in try store.log.root(size: record.treeSize, in: txn) }
            guard root.base64 == record.root else {
                throw WireError(
                    .validationFailed,
                    "the log's root at \(record.treeSize) events is \(root.base64), not \(record.root): the edition is not of this log",
                    details: ["field": "root"])
            }
            let data: JSONObject = [
                "treeSize": .integer(Int64(record.treeSize)), "root": .string(record.root),
                "manifestSha256": .string(record.manifestSHA256), "editionDate": .string(record.editionDate.description),
            ]
            let event = NewEvent(
                eventId: Self.editionEventId(record.manifestSHA256), type: Self.editionPublishedType, data: CanonicalJSON(object: data))
            return try store.prepare(to: Self.editionsStream, events: [event], principal: principal)
        }
    }

    /// The first 16 bytes of the manifest's hash as a version-8 (custom) UUID.
    static func editionEventId(_ manifestSHA256: String) -> UUID {
        var bytes = (0..<16).map { i -> UInt8 in
            let start = manifestSHA256.utf8.index(manifestSHA256.utf8.startIndex, offsetBy: i * 2)
            return UInt8(String(manifestSHA256[start..<manifestSHA256.index(start, offsetBy: 2)]), radix: 16) ?? 0
        }
        bytes[6] = bytes[6] & 0x0F | 0x80
        bytes[8] = bytes[8] & 0x3F | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}

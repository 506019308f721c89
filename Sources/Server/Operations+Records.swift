import AccordCore
import AccordJSON
import EventStore
import Foundation
import WireProtocol

extension Operations {
    /// `read_records`: stored records from `from`, framed and in base64 (a
    /// replica's bulk copy). Written straight into the response line: the
    /// records are the largest answer the server gives, and a tree of them
    /// would copy each twice more. A replica's pages are not audited (a copy
    /// is storage, as its subscription is); an admin's are, like `read_all`,
    /// and hold at most 1,000 records. A server without tokens has no roles
    /// and audits none (it cannot tell its replica from a reader).
    func readRecords(from: Position, limit: Int, maxBytes: Int, id: JSONValue, audited: Bool) throws -> Answer {
        let head = store.head
        try Self.notPastHead(from, member: "from", head: head)
        let (records, count, next) = try store.storedRecords(from: from, limit: audited ? min(limit, 1_000) : limit, maxBytes: maxBytes)
        var disclosed: [ReadAudit.Record] = []
        if audited {
            try records.forEachRecord { record in
                if let audited = ReadAudit.record(record) { disclosed.append(audited) }
            }
        }
        let encoded = Data(records.framed).base64EncodedData()
        var writer = JSONWriter(capacity: encoded.count + 160)
        writer.writeRaw(#"{"id":"#)
        writer.write(id)
        writer.writeRaw(#","ok":true,"result":{"count":"#)
        writer.writeRaw("\(count),\"format\":\(StoredRecords.format),\"head\":\(head),\"next\":\(next),\"records\":\"".utf8)
        writer.bytes.append(contentsOf: encoded)
        writer.writeRaw("\"}}\n")
        return Answer(writer.bytes, disclosing: disclosed)
    }
}

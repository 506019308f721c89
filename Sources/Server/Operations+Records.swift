import AccordCore
import AccordJSON
import EventStore
import Foundation
import WireProtocol

extension Operations {
    /// `read_records`: stored records from `from`, framed and in base64 (a
    /// replica's bulk copy). Written straight into the response line: the
    /// records are the largest answer the server gives, and a tree of them
    /// would copy each twice more.
    func readRecords(from: Position, limit: Int, maxBytes: Int, id: JSONValue) throws -> [UInt8] {
        let head = store.head
        guard from <= head else { throw WireError.badRequest("from \(from) is past the head \(head)", field: "from") }
        let (records, count, next) = try store.storedRecords(from: from, limit: limit, maxBytes: maxBytes)
        let encoded = Data(records.framed).base64EncodedData()
        var writer = JSONWriter(capacity: encoded.count + 160)
        writer.writeRaw(#"{"id":"#)
        writer.write(id)
        writer.writeRaw(#","ok":true,"result":{"count":"#)
        writer.writeRaw("\(count),\"format\":\(StoredRecords.format),\"head\":\(head),\"next\":\(next),\"records\":\"".utf8)
        writer.bytes.append(contentsOf: encoded)
        writer.writeRaw("\"}}\n")
        return writer.bytes
    }
}

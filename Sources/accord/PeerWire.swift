import AccordCore
import EventStore
import Foundation
import NIOCore

/// One store's request/response protocol, as much of it as the comparison
/// benchmark needs: append one event and wait for its durable acknowledgement.
///
/// Every peer is driven the same way (see `PeerConnection`): one request in
/// flight per connection, the next sent when the previous one's reply is in.
protocol PeerWire: Sendable {
    /// Bytes sent once after connecting, and the replies to wait for before
    /// measuring (a server's greeting counts as one).
    func greeting(connection: String) -> (bytes: [UInt8], replies: Int)
    /// Bytes that create what the appends write to (a table, a stream), sent
    /// once on one connection before a run, with one reply; empty for none.
    func setup() -> [UInt8]
    /// The append of event `sequence` (0, 1, …) on `connection`'s stream.
    func append(connection: String, sequence: Int, payload: [UInt8]) -> [UInt8]
    /// Takes one complete reply off the front of `buffer`, or returns `nil`
    /// when more bytes are needed. Throws on an error reply.
    func takeReply(_ buffer: inout ByteBuffer) throws -> PeerReply?
}

enum PeerReply {
    /// A reply to a request (or the greeting).
    case answer
    /// A server keep-alive to answer with these bytes.
    case ping([UInt8])
    /// Something to skip (a notice, a parameter report).
    case ignore
}

extension ByteBuffer {
    /// The bytes before the next CRLF or LF, consumed with it; `nil` if no full line yet.
    mutating func takeLine() -> [UInt8]? {
        let view = readableBytesView
        guard let newline = view.firstIndex(of: 0x0A) else { return nil }
        var line = Array(view[view.startIndex..<newline])
        if line.last == 0x0D { line.removeLast() }
        moveReaderIndex(forwardBy: newline - view.startIndex + 1)
        return line
    }
}

/// Accord's own NDJSON protocol: the `info` line, then one response line per append.
struct AccordWire: PeerWire {
    func greeting(connection: String) -> (bytes: [UInt8], replies: Int) { ([], 1) }
    func setup() -> [UInt8] { [] }

    func append(connection: String, sequence: Int, payload: [UInt8]) -> [UInt8] {
        var line = Array(#"{"id":\#(sequence),"op":"append","agreementId":"$compare-\#(connection)","expectedVersion":\#(sequence == 0 ? "\"no_stream\"" : "\(sequence - 1)"),"events":[{"eventId":""#.utf8)
        UUID.timeOrdered().appendLowercaseText(to: &line)
        line += #"","type":"BenchEvent","data":"#.utf8
        return line + payload + Array("}]}\n".utf8)
    }

    func takeReply(_ buffer: inout ByteBuffer) throws -> PeerReply? {
        guard let line = buffer.takeLine() else { return nil }
        if line.starts(with: Array(#"{"info""#.utf8)) || line.withUnsafeBytes(RequestTemplate.isAcknowledgement) { return .answer }
        throw CommandError("Accord refused an append: \(String(decoding: line, as: UTF8.self))")
    }
}

/// Redis (RESP2): `XADD events:<connection> * data <payload>`, one stream per connection.
struct RedisWire: PeerWire {
    func greeting(connection: String) -> (bytes: [UInt8], replies: Int) { ([], 0) }
    func setup() -> [UInt8] { [] }

    func append(connection: String, sequence: Int, payload: [UInt8]) -> [UInt8] {
        let parts: [[UInt8]] = [Array("XADD".utf8), Array("events:\(connection)".utf8), [UInt8(ascii: "*")], Array("data".utf8), payload]
        var out = Array("*\(parts.count)\r\n".utf8)
        for part in parts { out += Array("$\(part.count)\r\n".utf8) + part + [0x0D, 0x0A] }
        return out
    }

    func takeReply(_ buffer: inout ByteBuffer) throws -> PeerReply? {
        let saved = buffer
        guard let line = buffer.takeLine(), let kind = line.first else { return nil }
        switch kind {
        case UInt8(ascii: "+"), UInt8(ascii: ":"): return .answer
        case UInt8(ascii: "$"):
            let length = Int(String(decoding: line.dropFirst(), as: UTF8.self)) ?? -1
            guard length >= 0 else { return .answer }
            guard buffer.readableBytes >= length + 2 else {
                buffer = saved
                return nil
            }
            buffer.moveReaderIndex(forwardBy: length + 2)
            return .answer
        default: throw CommandError("Redis refused an append: \(String(decoding: line, as: UTF8.self))")
        }
    }
}

import AccordCore
import CommandSupport
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

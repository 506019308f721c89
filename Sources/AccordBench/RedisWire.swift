import AccordCore
import CommandSupport
import EventStore
import Foundation
import NIOCore

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

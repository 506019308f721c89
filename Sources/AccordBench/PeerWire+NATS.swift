import CommandSupport
import NIOCore

/// NATS JetStream: `PUB events.<connection> <inbox> <payload>`, acknowledged by
/// the stream `EVENTS` (file storage) with a reply message.
///
/// Whether the acknowledgement follows an fsync is the server's setting
/// (`jetstream { sync_interval: always }` from NATS 2.10 on), not the protocol's.
struct NATSWire: PeerWire {
    func greeting(connection: String) -> (bytes: [UInt8], replies: Int) {
        // INFO arrives first; PONG answers our PING once CONNECT and SUB are processed.
        (
            Array(
                #"CONNECT {"verbose":false,"pedantic":false,"headers":true,"no_responders":true}\#r\#nSUB _INBOX.\#(connection).* 1\#r\#nPING\#r\#n"#
                    .utf8), 2
        )
    }

    func setup() -> [UInt8] {
        let config = #"{"name":"EVENTS","subjects":["events.>"],"storage":"file","retention":"limits","num_replicas":1}"#
        return Array("PUB $JS.API.STREAM.CREATE.EVENTS _INBOX.setup.0 \(config.utf8.count)\r\n\(config)\r\n".utf8)
    }

    func append(connection: String, sequence: Int, payload: [UInt8]) -> [UInt8] {
        Array("PUB events.\(connection) _INBOX.\(connection).\(sequence) \(payload.count)\r\n".utf8) + payload + [0x0D, 0x0A]
    }

    func takeReply(_ buffer: inout ByteBuffer) throws -> PeerReply? {
        let saved = buffer
        guard let line = buffer.takeLine() else { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let words = text.split(separator: " ")
        switch words.first {
        case "INFO", "PONG": return .answer
        case "PING": return .ping(Array("PONG\r\n".utf8))
        case "+OK": return .ignore
        case "MSG", "HMSG":
            guard let length = words.last.flatMap({ Int($0) }) else { throw CommandError("NATS sent a malformed message line: \(text)") }
            guard buffer.readableBytes >= length + 2, let body = buffer.readString(length: length) else {
                buffer = saved
                return nil
            }
            buffer.moveReaderIndex(forwardBy: 2)
            // HMSG here is a status (503: no stream took the message); an ack with "error" is a refusal.
            if words.first == "HMSG" || body.contains(#""error""#) { throw CommandError("NATS refused a publish: \(body)") }
            return .answer
        default:
            throw CommandError("NATS refused: \(text)")
        }
    }
}

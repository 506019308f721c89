import AccordCore
import CommandSupport
import EventStore
import Foundation
import NIOCore

/// PostgreSQL (protocol 3, trust authentication): one `INSERT` per event into
/// `events`, whose unique `(stream, version)` is the same optimistic check as
/// Accord's expected version; acknowledged at `ReadyForQuery` after the commit.
struct PostgresWire: PeerWire {
    let user: String

    func greeting(connection: String) -> (bytes: [UInt8], replies: Int) {
        var body: [UInt8] = []
        append(&body, int32: 196_608)  // protocol 3.0
        for (key, value) in [("user", user), ("database", "postgres"), ("application_name", "accord-bench")] {
            body += Array(key.utf8) + [0] + Array(value.utf8) + [0]
        }
        body.append(0)
        var message: [UInt8] = []
        append(&message, int32: body.count + 4)
        return (message + body, 1)
    }

    func setup() -> [UInt8] {
        query(
            """
            CREATE TABLE IF NOT EXISTS events (position bigserial PRIMARY KEY, stream text NOT NULL, version bigint NOT NULL, \
            event_id uuid NOT NULL UNIQUE, type text NOT NULL, data jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), \
            UNIQUE (stream, version))
            """)
    }

    func append(connection: String, sequence: Int, payload: [UInt8]) -> [UInt8] {
        // The payload is canonical JSON without quotes of its own to escape.
        query(
            "INSERT INTO events (stream, version, event_id, type, data) VALUES ('\(connection)', \(sequence), "
                + "'\(UUID.timeOrdered().uuidString.lowercased())', 'BenchEvent', '\(String(decoding: payload, as: UTF8.self))')")
    }

    func takeReply(_ buffer: inout ByteBuffer) throws -> PeerReply? {
        guard buffer.readableBytes >= 5, let kind = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let length = buffer.getInteger(at: buffer.readerIndex + 1, as: Int32.self), buffer.readableBytes >= Int(length) + 1
        else { return nil }
        buffer.moveReaderIndex(forwardBy: 5)
        let body = buffer.readBytes(length: Int(length) - 4) ?? []
        switch kind {
        case UInt8(ascii: "Z"): return .answer
        case UInt8(ascii: "E"):
            let fields = body.split(separator: 0).map { String(decoding: $0.dropFirst(), as: UTF8.self) }
            throw CommandError("PostgreSQL refused: \(fields.joined(separator: "; "))")
        case UInt8(ascii: "R"):
            guard body.count >= 4, body[0...3] == [0, 0, 0, 0] else {
                throw CommandError("PostgreSQL asked for a password; the benchmark needs trust authentication on loopback")
            }
            return .ignore
        default: return .ignore
        }
    }

    private func query(_ sql: String) -> [UInt8] {
        var message: [UInt8] = [UInt8(ascii: "Q")]
        append(&message, int32: sql.utf8.count + 5)
        return message + Array(sql.utf8) + [0]
    }

    private func append(_ bytes: inout [UInt8], int32 value: Int) {
        withUnsafeBytes(of: Int32(value).bigEndian) { bytes += $0 }
    }
}

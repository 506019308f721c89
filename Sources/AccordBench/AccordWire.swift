import AccordCore
import CommandSupport
import EventStore
import Foundation
import NIOCore

/// Accord's own NDJSON protocol: the `info` line, then one response line per append.
struct AccordWire: PeerWire {
    func greeting(connection: String) -> (bytes: [UInt8], replies: Int) { ([], 1) }
    func setup() -> [UInt8] { [] }

    func append(connection: String, sequence: Int, payload: [UInt8]) -> [UInt8] {
        var line = Array(
            #"{"id":\#(sequence),"op":"append","agreementId":"$compare-\#(connection)","expectedVersion":\#(sequence == 0 ? "\"no_stream\"" : "\(sequence - 1)"),"events":[{"eventId":""#
                .utf8)
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

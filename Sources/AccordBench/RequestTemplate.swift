import AccordCore
import AccordJSON
import CommandSupport
import EventStore
import Foundation
import Histogram
import NIOCore
import NIOExtras
import NIOPosix

/// An append request line with only its event ids left to fill in.
struct RequestTemplate: Sendable {
    let prefix: [UInt8]
    let parts: [[UInt8]]

    init(stream: String, type: String = "BenchEvent", data: CanonicalJSON, eventsPerAppend: Int) {
        prefix = Array(#"{"op":"append","agreementId":"\#(stream)","events":["#.utf8)
        let event = Array(#"{"type":"\#(type)","data":"#.utf8) + data.bytes + Array(#","eventId":""#.utf8)
        parts = Array(repeating: event, count: eventsPerAppend)
    }

    /// The line for request `id`, with fresh time-ordered event ids.
    func line(id: Int) -> [UInt8] {
        var out = prefix
        out.reserveCapacity(prefix.count + parts.count * (parts[0].count + 40) + 24)
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += part
            UUID.timeOrdered().appendLowercaseText(to: &out)
            out += [UInt8(ascii: "\""), UInt8(ascii: "}")]
        }
        out += #"],"id":"#.utf8
        out += String(id).utf8
        out += [UInt8(ascii: "}"), 0x0A]
        return out
    }

    /// Whether a response line acknowledges its append. Responses are
    /// canonical, so one to a request with an integer id begins
    /// `{"id":N,"ok":`; checking that prefix keeps the generator cheap, so
    /// that it measures the server.
    static func isAcknowledgement(_ line: UnsafeRawBufferPointer) -> Bool {
        let head = Array(#"{"id":"#.utf8)
        guard line.starts(with: head) else { return false }
        var index = head.count
        while index < line.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(line[index]) { index += 1 }
        return line[index...].starts(with: #","ok":true"#.utf8)
    }
}

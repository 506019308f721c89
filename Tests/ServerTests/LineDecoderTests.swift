import AccordTesting
import Foundation
import Testing

/// The line limit is exact: `maxLineBytes` bytes pass, one more is refused,
/// whether the line arrives in one write or in many.
@Suite struct LineDecoderTests {
    let dir = TemporaryDirectory("lines")

    static func ping(length: Int) -> String {
        // {"id":1,"op":"ping","pad":"…"} is refused as bad_request (strict members), but only a line over the limit is line_too_long.
        let head = #"{"id":1,"op":"ping","pad":""#
        let tail = #""}"#
        return head + String(repeating: "x", count: length - head.utf8.count - tail.utf8.count) + tail
    }

    @Test(arguments: [false, true]) func aLineOfTheLimitIsReadAndOneByteMoreIsRefused(inPieces: Bool) async throws {
        let limit = 4_096
        try await TestServer.with(dir, configure: { $0.maxLineBytes = limit }) { server in
            let socket = try LineSocket(port: server.port)
            _ = await socket.readLine()
            for (length, ending) in [(limit, "\n"), (limit, "\r\n"), (limit + 1, "\n")] {
                let bytes = Array((Self.ping(length: length) + ending).utf8)
                if inPieces {
                    for piece in stride(from: 0, to: bytes.count, by: 700) {
                        try await socket.send(Array(bytes[piece..<min(piece + 700, bytes.count)]))
                        try await Task.sleep(for: .milliseconds(5))
                    }
                } else {
                    try await socket.send(bytes)
                }
                let answer = try #require(await socket.readLine())
                if length > limit {
                    #expect(answer.contains(#""code":"line_too_long""#), "\(length) bytes: \(answer)")
                    #expect(await socket.readLine() == nil, "the connection closes")
                } else {
                    #expect(answer.contains(#""code":"bad_request""#), "\(length) bytes must be read whole: \(answer)")
                }
            }
        }
    }

    /// Requests cut anywhere across writes, several lines in one write and
    /// lines split over many, are each answered once and in order; a last
    /// line without its end is not a request.
    @Test func linesCutAnywhereAreAnsweredInOrder() async throws {
        try await TestServer.with(dir) { server in
            let socket = try LineSocket(port: server.port)
            _ = await socket.readLine()
            let count = 300
            var bytes: [UInt8] = []
            for id in 0..<count {
                let ending = id % 3 == 0 ? "\r\n" : "\n"
                bytes += Array((id % 7 == 0 ? "   \(ending)" : "").utf8)
                bytes += Array((#"{"id":\#(id),"op":"ping"}"# + ending).utf8)
            }
            var generator = SystemRandomNumberGenerator()
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1...90, using: &generator))
                try await socket.send(Array(bytes[start..<end]))
                if Bool.random(using: &generator) { try await Task.sleep(for: .milliseconds(1)) }
                start = end
            }
            try await socket.send(Array(#"{"id":"never","op":"ping"}"#.utf8))
            socket.shutdownWrite()
            var ids: [String] = []
            while let line = await socket.readLine() {
                if line.isEmpty { continue }
                ids.append(String(line.split(separator: ",")[0].dropFirst(6)))
            }
            #expect(ids == (0..<count).map { "\($0)" })
        }
    }
}

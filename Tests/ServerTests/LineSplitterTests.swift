import LineFraming
import NIOCore
import Testing

/// The framing without a socket: whatever pieces the bytes arrive in, the
/// same lines come out, and the limit holds exactly.
@Suite struct LineSplitterTests {
    /// Feeds `bytes` in pieces cut at `cuts`, as the handler does: each piece
    /// is added to what was left, then every whole line is taken.
    static func split(_ bytes: [UInt8], cuts: [Int], limit: Int) -> (lines: [String], refused: Bool, held: Int) {
        var splitter = LineSplitter(limit: LineSplitter.Limit(limit))
        var inbound = ByteBuffer()
        var lines: [String] = []
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            inbound.writeBytes(bytes[start..<end])
            start = end
            do {
                while let line = try splitter.next(in: &inbound) { lines.append(String(buffer: line)) }
            } catch {
                return (lines, true, inbound.readableBytes)
            }
        }
        return (lines, false, inbound.readableBytes)
    }

    @Test func everyCutGivesTheSameLines() {
        let text = "{\"op\":\"ping\"}\r\n\n  \nsecond line\r\r\nthird\nunfinished"
        let bytes = Array(text.utf8)
        let expected = ["{\"op\":\"ping\"}", "", "  ", "second line\r", "third"]
        for first in 0...bytes.count {
            for second in first...bytes.count {
                let result = Self.split(bytes, cuts: [first, second], limit: 64)
                #expect(result.lines == expected && !result.refused, "cut at \(first), \(second)")
                #expect(result.held == "unfinished".utf8.count)
            }
        }
    }

    @Test func theLimitIsExactWhateverThePieces() {
        let limit = 10
        for length in [limit - 1, limit, limit + 1] {
            for ending in ["\n", "\r\n"] {
                let bytes = Array((String(repeating: "x", count: length) + ending + "ok\n").utf8)
                for cut in 0...bytes.count {
                    let result = Self.split(bytes, cuts: [cut], limit: limit)
                    if length > limit {
                        #expect(result.refused && result.lines.isEmpty, "\(length)\(ending.debugDescription) cut at \(cut)")
                    } else {
                        #expect(!result.refused && result.lines.count == 2, "\(length)\(ending.debugDescription) cut at \(cut)")
                    }
                }
            }
        }
    }

    @Test func aLongLineIsRefusedBeforeMoreThanTheLimitAndItsCarriageReturnIsHeld() {
        let limit = 10
        let bytes = Array(String(repeating: "x", count: 40).utf8)
        // One byte per read: refused on the read that makes the held bytes more than a line could be.
        let result = Self.split(bytes, cuts: Array(1..<bytes.count), limit: limit)
        #expect(result.refused && result.held == limit + 1)
        let withReturn = Self.split(Array((String(repeating: "x", count: limit) + "\r\r").utf8), cuts: Array(1...limit + 1), limit: limit)
        #expect(withReturn.refused && withReturn.held == limit + 2)
    }

    @Test func aLimitRaisedMidLineApplies() {
        let limit = LineSplitter.Limit(4)
        var splitter = LineSplitter(limit: limit)
        var inbound = ByteBuffer(string: "abcd")
        #expect((try? splitter.next(in: &inbound)) == .some(nil))
        limit.maxLineBytes = 8
        inbound.writeString("efgh\n")
        #expect((try? splitter.next(in: &inbound)).flatMap { $0 }.map { String(buffer: $0) } == "abcdefgh")
    }
}

import AccordJSON
import Agreements
import Foundation
import Testing
import WireProtocol

/// Error messages are for people: every one that bad input can provoke says
/// what was wrong in the protocol's words, never in Swift's or NIO's.
@Suite struct ErrorMessageTests {
    static let internals = ["Cannot initialize", "Swift.", "Optional(", "errno", "DecodingError", "CodingKeys", "NIO", "keyNotFound"]

    /// Every request of the example sessions, each member of it (and of its
    /// events' data, at every depth) replaced by values of every wrong kind or
    /// removed; every message the request decoder and the event decoder give.
    @Test func noMessageSpeaksSwift() throws {
        var messages: [String] = []
        for request in try Self.exampleRequests() {
            for variant in Self.variants(of: .object(request)) {
                guard case .object(let members) = variant else { continue }
                messages += Self.messages(for: members)
            }
        }
        #expect(messages.count > 1_000, "the variants reach the decoders")
        let leaking = messages.filter { message in Self.internals.contains { message.contains($0) } }
        #expect(leaking.isEmpty, "\(Set(leaking).sorted().prefix(10))")
    }

    static func messages(for request: JSONObject) -> [String] {
        let line = JSONValue.object(request).canonicalBytes
        let decoded = line.withUnsafeBytes { raw in Result { () throws(RequestError) in try Request.decode(raw) } }
        switch decoded {
        case .failure(let error): return [error.error.message]
        case .success(let request):
            guard case .append(let append) = request.command else { return [] }
            return append.events.compactMap { event -> String? in
                do {
                    _ = try AgreementEvent(type: event.type, data: .object(event.data))
                    return nil
                } catch {
                    return (error as? AgreementError)?.message ?? "\(error)"
                }
            }
        }
    }

    /// The value itself, then for each member or element at any depth: removed,
    /// and replaced by a value of each JSON kind (and an enum-like word).
    static func variants(of value: JSONValue) -> [JSONValue] {
        let wrong: [JSONValue] = [
            .null, .bool(true), .integer(-1), .integer(9_007_199_254_740_993), .double(1.5), "pirate", "", [], [.integer(1)], .object([:]),
        ]
        var out: [JSONValue] = [value]
        switch value {
        case .object(let members):
            for (key, member) in members {
                var removed = members
                removed[key] = nil
                out.append(.object(removed))
                for replacement in wrong + variants(of: member).dropFirst() {
                    var copy = members
                    copy[key] = replacement
                    out.append(.object(copy))
                }
            }
            var extra = members
            extra["unexpectedMember"] = "x"
            out.append(.object(extra))
        case .array(let elements):
            for index in elements.indices {
                for replacement in wrong.prefix(4) + variants(of: elements[index]).dropFirst() {
                    var copy = elements
                    copy[index] = replacement
                    out.append(.array(copy))
                }
            }
        default: break
        }
        return out
    }

    static func exampleRequests() throws -> [JSONObject] {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../protocol/examples")
        var requests: [JSONObject] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: examples.standardizedFileURL.path) where file.hasSuffix(".session")
        {
            let text = try String(contentsOf: examples.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("> ") {
                if case .object(let members) = try JSONParser.parse(Array(line.dropFirst(2).utf8)) { requests.append(members) }
            }
        }
        return requests
    }
}

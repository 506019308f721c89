import AccordCore
import AccordJSON
import Foundation

/// Decodes the requests a busy server sees most, `append` and `ping`, in
/// one pass over their bytes: members found by comparing key bytes, each
/// event's `data` and `metadata` written in canonical form as they are
/// read, no `JSONValue` tree.
///
/// It returns `nil` for anything it does not take whole (another
/// operation, a fault, something rare), and `Request.decode` then decodes
/// the line the general way: both ways give equal requests for every line
/// this one takes (a test and the request fuzzer check it), and every error
/// is worded by the general way alone.
enum OnePassDecoder {
    static func decode(_ line: UnsafeRawBufferPointer) -> Request? {
        var scanner = CanonicalScanner(line)
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var id: JSONValue?
        var op: Operation?
        var agreementId: StreamName?
        var expected = ExpectedVersion.any
        var events: [WireEvent]?
        var seen: UInt8 = 0
        repeat {
            guard let key = scanner.plainString(), scanner.consume(UInt8(ascii: ":")) else { return nil }
            let member: UInt8
            if key.equals("events") {
                member = 1
                guard let read = self.events(&scanner) else { return nil }
                events = read
            } else if key.equals("agreementId") {
                member = 2
                guard let text = scanner.plainString(), let name = try? StreamName(String(decoding: text, as: UTF8.self)) else {
                    return nil
                }
                agreementId = name
            } else if key.equals("op") {
                member = 4
                guard let name = scanner.plainString() else { return nil }
                if name.equals("append") {
                    op = .append
                } else if name.equals("ping") {
                    op = .ping
                } else {
                    return nil
                }
            } else if key.equals("id") {
                member = 8
                guard let value = self.id(&scanner) else { return nil }
                id = value
            } else if key.equals("expectedVersion") {
                member = 16
                guard let raw = scanner.rawValue(), let value = try? JSONParser.parse(raw), value != .null,
                    let version = try? ExpectedVersion(json: value)
                else { return nil }
                expected = version
            } else {
                return nil
            }
            guard seen & member == 0 else { return nil }
            seen |= member
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "}")) else { return nil }
        scanner.skipSpace()
        guard scanner.atEnd, let op, let id else { return nil }
        switch op {
        case .ping:
            // `ping` takes no members but these two.
            guard seen == 4 | 8 else { return nil }
            return Request(id: id, command: .ping)
        case .append:
            guard let agreementId, let events else { return nil }
            return Request(id: id, command: .append(AppendCommand(agreementId: agreementId, expected: expected, events: events)))
        }
    }

    private enum Operation { case append, ping }

    /// The id: a string without escapes, or an integer.
    private static func id(_ scanner: inout CanonicalScanner) -> JSONValue? {
        if scanner.peek(UInt8(ascii: "\"")) {
            return scanner.plainString().map { .string(String(decoding: $0, as: UTF8.self)) }
        }
        guard let raw = scanner.rawValue(), case .integer(let value)? = try? JSONParser.parse(raw) else { return nil }
        return .integer(value)
    }

    private static func events(_ scanner: inout CanonicalScanner) -> [WireEvent]? {
        guard scanner.consume(UInt8(ascii: "[")) else { return nil }
        var events: [WireEvent] = []
        if scanner.consume(UInt8(ascii: "]")) { return events }
        repeat {
            guard let event = self.event(&scanner) else { return nil }
            events.append(event)
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "]")) else { return nil }
        return events
    }

    private static func event(_ scanner: inout CanonicalScanner) -> WireEvent? {
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var eventId: UUID?
        var type: String?
        var data: CanonicalJSON?
        var metadata = CanonicalJSON.emptyObject
        var occurredAt: Timestamp?
        var seen: UInt8 = 0
        repeat {
            guard let key = scanner.plainString(), scanner.consume(UInt8(ascii: ":")) else { return nil }
            let member: UInt8
            if key.equals("data") {
                member = 1
                guard let object = canonicalObject(&scanner) else { return nil }
                data = object
            } else if key.equals("type") {
                member = 2
                guard let text = scanner.plainString() else { return nil }
                type = String(decoding: text, as: UTF8.self)
            } else if key.equals("eventId") {
                member = 4
                guard let text = scanner.plainString(), let id = UUID(utf8: text) else { return nil }
                eventId = id
            } else if key.equals("metadata") {
                member = 8
                guard let object = canonicalObject(&scanner) else { return nil }
                metadata = object
            } else if key.equals("occurredAt") {
                member = 16
                guard let text = scanner.plainString(), let time = Timestamp(rfc3339: String(decoding: text, as: UTF8.self)) else {
                    return nil
                }
                occurredAt = time
            } else {
                return nil
            }
            guard seen & member == 0 else { return nil }
            seen |= member
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "}")), let eventId, let type, let data else { return nil }
        return WireEvent(eventId: eventId, type: type, canonicalData: data, canonicalMetadata: metadata, occurredAt: occurredAt)
    }

    /// An object, written canonical as it is read (the request's depth 4: request, events, event, this).
    private static func canonicalObject(_ scanner: inout CanonicalScanner) -> CanonicalJSON? {
        guard scanner.peek(UInt8(ascii: "{")) else { return nil }
        var writer = JSONWriter(capacity: 512)
        guard scanner.value(into: &writer, depth: 4) else { return nil }
        return CanonicalJSON(trustedBytes: writer.bytes)
    }
}

extension UnsafeRawBufferPointer {
    /// Whether these bytes spell `literal`.
    fileprivate func equals(_ literal: StaticString) -> Bool {
        count == literal.utf8CodeUnitCount && elementsEqual(UnsafeRawBufferPointer(start: literal.utf8Start, count: count))
    }
}

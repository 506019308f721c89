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
        var id: JSONValue?
        var op: Operation?
        var agreementId: StreamName?
        var expected = ExpectedVersion.any
        var events: [WireEvent]?
        let seen = scanner.members { key, scanner -> UInt8? in
            if key.equals("events") {
                events = self.events(&scanner)
                return events == nil ? nil : 1
            } else if key.equals("agreementId") {
                guard let text = scanner.plainString() else { return nil }
                agreementId = try? StreamName(String(decoding: text, as: UTF8.self))
                return agreementId == nil ? nil : 2
            } else if key.equals("op") {
                guard let name = scanner.plainString() else { return nil }
                op = name.equals("append") ? .append : name.equals("ping") ? .ping : nil
                return op == nil ? nil : 4
            } else if key.equals("id") {
                id = self.id(&scanner)
                return id == nil ? nil : 8
            } else if key.equals("expectedVersion") {
                guard let raw = scanner.rawValue(), let value = try? JSONParser.parse(raw), value != .null,
                    let version = try? ExpectedVersion(json: value)
                else { return nil }
                expected = version
                return 16
            }
            return nil
        }
        scanner.skipSpace()
        guard let seen, scanner.atEnd, let op, let id else { return nil }
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
        var eventId: UUID?
        var type: String?
        var data: CanonicalJSON?
        var metadata = CanonicalJSON.emptyObject
        var occurredAt: Timestamp?
        let seen = scanner.members { key, scanner -> UInt8? in
            if key.equals("data") {
                data = canonicalObject(&scanner)
                return data == nil ? nil : 1
            } else if key.equals("type") {
                type = scanner.plainString().map { String(decoding: $0, as: UTF8.self) }
                return type == nil ? nil : 2
            } else if key.equals("eventId") {
                eventId = scanner.plainString().flatMap { UUID(utf8: $0) }
                return eventId == nil ? nil : 4
            } else if key.equals("metadata") {
                guard let object = canonicalObject(&scanner) else { return nil }
                metadata = object
                return 8
            } else if key.equals("occurredAt") {
                occurredAt = scanner.plainString().flatMap { Timestamp(rfc3339: String(decoding: $0, as: UTF8.self)) }
                return occurredAt == nil ? nil : 16
            }
            return nil
        }
        guard seen != nil, let eventId, let type, let data else { return nil }
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

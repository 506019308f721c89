import AccordJSON
import Foundation

extension RecordedEvent {
    /// Reads a recorded event from the bytes of its wire form without
    /// building a JSON tree: `data` and `metadata` are kept as the bytes the
    /// server sent, which are its stored canonical form (a leaf hash over
    /// the event, checked against a signed root, proves they are).
    ///
    /// `nil` when the bytes are not in the server's plain form (a string with
    /// an escape, a member missing or of another kind): parse those with
    /// `init(json:)`, which accepts any valid JSON.
    public init?(wireBytes bytes: UnsafeRawBufferPointer) {
        var position: UInt64?
        var version: UInt64?
        var stream: StreamName?
        var eventId: UUID?
        var type: String?
        var data: CanonicalJSON?
        var metadata: CanonicalJSON?
        var occurredAt: Timestamp?
        var recordedAt: Timestamp?
        var principal: String?
        var plain = true
        let scanned = JSONMemberScanner.forEachMember(in: bytes) { key, value in
            guard plain, let first = value.first else { return plain = false }
            switch Self.member(key) {
            case .data?, .metadata?:
                guard first == UInt8(ascii: "{") else { return plain = false }
                let json = CanonicalJSON(trustedBytes: Array(value))
                if key.count == 4 { data = json } else { metadata = json }
            case .position?: position = Self.integer(value)
            case .version?: version = Self.integer(value)
            case .stream?: stream = Self.string(value).flatMap { try? StreamName($0) }
            case .type?: type = Self.string(value)
            case .principal?:
                principal = Self.string(value)
                if principal == nil { plain = false }
            case .eventId?: eventId = Self.string(value).flatMap(UUID.init(text:))
            case .occurredAt?:
                occurredAt = Self.string(value).flatMap(Timestamp.init(rfc3339:))
                if occurredAt == nil { plain = false }
            case .recordedAt?: recordedAt = Self.string(value).flatMap(Timestamp.init(rfc3339:))
            case nil: break
            }
        }
        guard scanned, plain, let position, let version, let stream, let eventId, let type, let data, let recordedAt else { return nil }
        self.init(
            position: position, stream: stream, version: version, eventId: eventId, type: type, data: data,
            metadata: metadata ?? .emptyObject, occurredAt: occurredAt, recordedAt: recordedAt, principal: principal)
    }

    private enum Member: String {
        case data, metadata, position, version, stream, type, principal, eventId, occurredAt, recordedAt
    }

    /// The member a key names, told apart by its length and first byte (then
    /// checked whole) rather than by making a `String` of every key.
    private static func member(_ key: UnsafeRawBufferPointer) -> Member? {
        guard let first = key.first else { return nil }
        let candidate: Member? =
            switch (key.count, first) {
            case (4, UInt8(ascii: "d")): .data
            case (4, UInt8(ascii: "t")): .type
            case (6, UInt8(ascii: "s")): .stream
            case (7, UInt8(ascii: "e")): .eventId
            case (7, UInt8(ascii: "v")): .version
            case (8, UInt8(ascii: "m")): .metadata
            case (8, UInt8(ascii: "p")): .position
            case (9, UInt8(ascii: "p")): .principal
            case (10, UInt8(ascii: "o")): .occurredAt
            case (10, UInt8(ascii: "r")): .recordedAt
            default: nil
            }
        guard let candidate, key.elementsEqual(candidate.rawValue.utf8) else { return nil }
        return candidate
    }

    /// A non-negative integer written in plain digits.
    private static func integer(_ value: UnsafeRawBufferPointer) -> UInt64? {
        guard !value.isEmpty, value.count <= 19 else { return nil }
        var result: UInt64 = 0
        for byte in value {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            result = result * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        return result
    }

    /// A quoted string without escapes.
    private static func string(_ value: UnsafeRawBufferPointer) -> String? {
        guard value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\""),
            !value.contains(UInt8(ascii: "\\"))
        else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: value.dropFirst().dropLast()), as: UTF8.self)
    }
}

import AccordJSON
import Foundation

extension RecordedEvent {
    /// Reads a recorded event from its wire form (the canonical JSON object
    /// `writeJSON` produces), as a client receives it.
    public init(json: JSONValue) throws(CoreError) {
        guard case .object(let m) = json else { throw .invalidValue("a recorded event must be a JSON object") }
        func string(_ key: String) throws(CoreError) -> String {
            guard case .string(let s)? = m[key] else { throw .invalidValue("a recorded event's \(key) must be a string") }
            return s
        }
        func integer(_ key: String) throws(CoreError) -> UInt64 {
            guard case .integer(let i)? = m[key], i >= 0 else {
                throw .invalidValue("a recorded event's \(key) must be a non-negative integer")
            }
            return UInt64(i)
        }
        func time(_ key: String) throws(CoreError) -> Timestamp {
            guard let t = Timestamp(storedRFC3339: try string(key)) else {
                throw .invalidValue("a recorded event's \(key) must be an RFC 3339 time")
            }
            return t
        }
        func object(_ key: String) throws(CoreError) -> CanonicalJSON {
            guard let value = m[key], case .object = value else { throw .invalidValue("a recorded event's \(key) must be an object") }
            return CanonicalJSON(trustedBytes: value.canonicalBytes)
        }
        guard let eventId = UUID(text: try string("eventId")) else { throw .invalidValue("a recorded event's eventId must be a UUID") }
        self.init(
            position: try integer("position"), stream: try StreamName(try string("stream")), version: try integer("version"),
            eventId: eventId, type: try string("type"), data: try object("data"), metadata: try object("metadata"),
            occurredAt: m["occurredAt"] == nil ? nil : try time("occurredAt"), recordedAt: try time("recordedAt"),
            principal: m["principal"] == nil ? nil : try string("principal"))
    }
}

extension RecordedEvent {
    /// Reads a recorded event straight from its canonical JSON bytes, as a
    /// server sends it in `read_all`, without building a JSON tree: `data`
    /// and `metadata` are kept as the bytes sent. Those bytes are trusted to
    /// be canonical, so use this only where the event's Merkle leaf (the same
    /// bytes) is then checked against a signed root, as a fetch that
    /// recomputes the tree does: a non-canonical byte changes the root.
    public init(canonical bytes: UnsafeRawBufferPointer) throws(CoreError) {
        var found: [String: UnsafeRawBufferPointer] = [:]
        guard JSONMemberScanner.forEachMember(in: bytes, { key, value in found[String(decoding: key, as: UTF8.self)] = value })
        else { throw .invalidValue("a recorded event must be a JSON object") }
        func string(_ key: String) throws(CoreError) -> String {
            guard let v = found[key], v.count >= 2, v.first == 0x22, v.last == 0x22 else {
                throw .invalidValue("a recorded event's \(key) must be a string")
            }
            if !v.contains(0x5C) { return String(decoding: UnsafeRawBufferPointer(rebasing: v.dropFirst().dropLast()), as: UTF8.self) }
            guard let s = (try? JSONParser.parse(v))?.stringValue else { throw .invalidValue("a recorded event's \(key) must be a string") }
            return s
        }
        func integer(_ key: String) throws(CoreError) -> UInt64 {
            guard let v = found[key], (1...19).contains(v.count), v.allSatisfy({ (0x30...0x39).contains($0) }),
                let n = UInt64(String(decoding: v, as: UTF8.self))
            else { throw .invalidValue("a recorded event's \(key) must be a non-negative integer") }
            return n
        }
        func time(_ key: String) throws(CoreError) -> Timestamp {
            guard let t = Timestamp(storedRFC3339: try string(key)) else {
                throw .invalidValue("a recorded event's \(key) must be an RFC 3339 time")
            }
            return t
        }
        func object(_ key: String) throws(CoreError) -> CanonicalJSON {
            guard let v = found[key], v.first == UInt8(ascii: "{") else {
                throw .invalidValue("a recorded event's \(key) must be an object")
            }
            return CanonicalJSON(trustedBytes: Array(v))
        }
        guard let eventId = UUID(text: try string("eventId")) else { throw .invalidValue("a recorded event's eventId must be a UUID") }
        self.init(
            position: try integer("position"), stream: try StreamName(try string("stream")), version: try integer("version"),
            eventId: eventId, type: try string("type"), data: try object("data"), metadata: try object("metadata"),
            occurredAt: found["occurredAt"] == nil ? nil : try time("occurredAt"), recordedAt: try time("recordedAt"),
            principal: found["principal"] == nil ? nil : try string("principal"))
    }
}

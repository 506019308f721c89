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

import AccordCore

extension NewEvent {
    /// The event type rule: 1 to `maxTypeBytes` of `A-Z a-z 0-9 _ . : -`.
    func validate() throws(EventStoreError) {
        let utf8 = type.utf8
        guard !utf8.isEmpty, utf8.count <= Self.maxTypeBytes, utf8.allSatisfy(Self.isTypeByte) else {
            throw .invalidRequest("event type \"\(type)\" must be 1 to \(Self.maxTypeBytes) characters of A-Z, a-z, 0-9, _ . : -")
        }
    }

    private static func isTypeByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

extension RecordedEvent {
    /// Whether `new` carries the same content as this event (for idempotent retries).
    func hasSameContent(as new: NewEvent, in stream: StreamName) -> Bool {
        self.stream == stream && type == new.type && data == new.data
            && metadata == new.metadata && occurredAt == new.occurredAt
    }
}

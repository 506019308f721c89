import AccordCore

/// Where and when an event sits, as the log recorded it.
public struct EventContext: Sendable, Hashable {
    public var position: UInt64
    public var version: UInt64
    /// The event's effective date: `occurredAt`, else `recordedAt`.
    public var effectiveDate: CalendarDate

    public init(position: UInt64, version: UInt64, effectiveDate: CalendarDate) {
        self.position = position
        self.version = version
        self.effectiveDate = effectiveDate
    }

    public init(_ event: RecordedEvent) {
        self.init(position: event.position, version: event.version, effectiveDate: CalendarDate(event.effectiveAt))
    }
}

/// One safe's rating with the panel's note.
public struct SafeAssessment: Codable, Sendable, Hashable {
    public var rating: SafeRating
    public var note: String?

    public init(_ rating: SafeRating, note: String? = nil) {
        self.rating = rating
        self.note = note
    }
}

extension SafeAssessment {
    /// The members, as declared: `EventDataReader` reads them in this order.
    static let keys = EventDataReader.keys(
        "rating", "note")

    /// Reads the members with `data`'s rules (see `EventDataReader`).
    init(_ data: EventDataReader) throws(EventDataReader.Fault) {
        self.init(try data.enumeration(0, SafeRating.self), note: try data.optionalString(1))
    }
}

/// One safe's rating with the panel's note.
public struct SafeAssessment: Codable, Sendable, Hashable {
    public var rating: SafeRating
    public var note: String?

    public init(_ rating: SafeRating, note: String? = nil) {
        self.rating = rating
        self.note = note
    }
}
